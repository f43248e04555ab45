import { describe, expect, it } from 'vitest';
import { argmaxRows, exactMatch } from '../../src/model/accuracy';
import { initParams } from '../../src/model/init';
import { paramLayout } from '../../src/model/layout';
import {
  exampleText,
  heldOutPairs,
  isHeldOut,
  packBatch,
  readAnswer,
  TaskError,
  TrainSampler,
  validateTask,
  type AdditionTask,
} from '../../src/model/task';
import { decode, encode, TokenizerError, VOCAB } from '../../src/model/tokenizer';

const task: AdditionTask = { digits: 3, splitSeed: 1 };

describe('the addition task', () => {
  it('writes operands padded and the sum reversed', () => {
    expect(exampleText(task, 317, 85)).toBe('317+085=2040');
    expect(readAnswer('2040')).toBe(402);
    expect(exampleText({ digits: 2, splitSeed: 0 }, 31, 85)).toBe('31+85=611');
  });

  it('tokenizes round trip and names bad input', () => {
    expect(VOCAB).toBe(13);
    expect(decode(encode('12+34=640.'))).toBe('12+34=640.');
    expect(() => encode('1-2')).toThrow(TokenizerError);
    expect(() => decode([13])).toThrow(/outside 0–12/);
  });

  it('packs rows with targets only on answer digits', () => {
    const b = packBatch(task, 16, [[317, 85]]);
    expect(decode(b.inputs)).toBe('317+085=2040....');
    // Position 7 is '=', whose next token is the first answer digit '2'.
    expect([...b.targets]).toEqual([-1, -1, -1, -1, -1, -1, -1, 2, 0, 4, 0, -1, -1, -1, -1, -1]);
    expect([...b.answerStarts]).toEqual([7]);
  });

  it('keeps held-out pairs out of the training stream, and resumes from its state', () => {
    const held = heldOutPairs(task, 200);
    expect(held.length).toBe(200);
    for (const [a, b] of held) expect(isHeldOut(task, a, b)).toBe(true);
    const s = TrainSampler.fresh(task, 42);
    for (let i = 0; i < 500; i++) {
      const [a, b] = s.nextPair();
      expect(isHeldOut(task, a, b)).toBe(false);
    }
    const state = s.state;
    const next = s.nextBatch(2, 32);
    const resumed = new TrainSampler(task, state).nextBatch(2, 32);
    expect(resumed.inputs).toEqual(next.inputs);
    expect(s.position).toBe(504);
  });

  it('holds out about a tenth of all pairs', () => {
    let held = 0;
    for (let a = 0; a < 100; a++)
      for (let b = 0; b < 100; b++) if (isHeldOut({ digits: 2, splitSeed: 7 }, a, b)) held++;
    expect(held).toBeGreaterThan(900);
    expect(held).toBeLessThan(1100);
  });

  it('refuses examples longer than the context', () => {
    expect(() => validateTask({ digits: 4, splitSeed: 0 }, 14)).toThrow(TaskError);
    expect(() => validateTask({ digits: 5, splitSeed: 0 }, 128)).toThrow(/digits must be 1–4/);
  });

  it('scores exact match: one wrong digit fails the example', () => {
    const b = packBatch(task, 16, [[317, 85]]);
    const perfect = Int32Array.from(b.targets, (t) => Math.max(t, 0));
    expect(exactMatch(perfect, b, 4)).toBe(1);
    perfect[9] = (perfect[9] + 1) % 10;
    expect(exactMatch(perfect, b, 4)).toBe(0);
    expect([...argmaxRows([0, 3, 1, 5, 2, 2], 3)]).toEqual([1, 0]);
  });

  it('initialises the same weights from the same seed, GPT-2 style', () => {
    const c = { layers: 2, dModel: 32, heads: 4, context: 16, vocab: 13, batch: 1 };
    const a = initParams(c, 5);
    expect(initParams(c, 5)).toEqual(a);
    expect(initParams(c, 6)).not.toEqual(a);
    const l = paramLayout(c);
    expect([...a.subarray(l.lnfg.offset, l.lnfg.offset + l.lnfg.size)].every((v) => v === 1)).toBe(true);
    expect(
      [...a.subarray(l.blocks[0].bqkv.offset, l.blocks[0].bqkv.offset + l.blocks[0].bqkv.size)].every((v) => v === 0),
    ).toBe(true);
    const w = a.subarray(l.wte.offset, l.wte.offset + l.wte.size);
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std).toBeGreaterThan(0.015);
    expect(std).toBeLessThan(0.025);
  });
});
