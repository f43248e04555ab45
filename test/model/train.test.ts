import { describe, expect, it } from 'vitest';
import type { GptConfig } from '../../src/model/config';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint } from '../../src/model/train/checkpoint';
import { CpuBackend } from '../../src/model/train/cpuBackend';
import { defaultSpec, learningRate, type TrainSpec } from '../../src/model/train/hyper';
import { Trainer, type BackendFactory } from '../../src/model/train/trainer';

const cpu: BackendFactory = async (spec, params) => new CpuBackend(spec, params);

function tinySpec(): TrainSpec {
  const model: GptConfig = { layers: 1, dModel: 16, heads: 2, context: 16, vocab: 13, batch: 4 };
  return { ...defaultSpec(model, { digits: 2, splitSeed: 1 }, 7), steps: 40, warmup: 5, evalExamples: 16 };
}

describe('learning-rate schedule', () => {
  it('warms up linearly, then follows a cosine to the floor', () => {
    const s = { ...tinySpec(), lr: 1e-3, warmup: 10, steps: 110, minLrRatio: 0.1 };
    expect(learningRate(s, 0)).toBeCloseTo(1e-4, 12);
    expect(learningRate(s, 9)).toBeCloseTo(1e-3, 12);
    expect(learningRate(s, 60)).toBeCloseTo(1e-4 + 0.5 * 9e-4, 12); // half way: cos(π/2) = 0
    expect(learningRate(s, 110)).toBeCloseTo(1e-4, 12);
    expect(learningRate(s, 500)).toBeCloseTo(1e-4, 12);
  });
});

describe('checkpoints', () => {
  it('round-trip exactly and refuse corruption by name', async () => {
    const t = await Trainer.create(tinySpec(), cpu);
    for (let i = 0; i < 3; i++) await t.trainStep();
    await t.evaluate();
    const ck = await t.checkpoint();
    const bytes = encodeCheckpoint(ck);
    const back = decodeCheckpoint(bytes);
    expect(back.step).toBe(3);
    expect(back.sampler).toEqual(ck.sampler);
    expect(back.state.params).toEqual(ck.state.params);
    expect(back.state.v).toEqual(ck.state.v);
    expect(back.evals).toEqual(ck.evals);
    const flipped = bytes.slice();
    flipped[bytes.length - 100] ^= 1;
    expect(() => decodeCheckpoint(flipped)).toThrow(CheckpointError);
    expect(() => decodeCheckpoint(flipped)).toThrow(/checksum mismatch/);
    expect(() => decodeCheckpoint(bytes.subarray(0, 10))).toThrow(/at least 20 bytes/);
    const wrongMagic = bytes.slice();
    wrongMagic[0] = 0x58;
    expect(() => decodeCheckpoint(wrongMagic)).toThrow(/Not a GPU Playground checkpoint/);
    t.dispose();
  });
});

describe('kill and resume (CPU reference backend)', () => {
  it('continues on the same curve, bit for bit', async () => {
    const spec = tinySpec();
    const whole = await Trainer.create(spec, cpu);
    const losses: number[] = [];
    for (let i = 0; i < 12; i++) losses.push((await whole.trainStep()).loss);
    const evalWhole = await whole.evaluate();

    const first = await Trainer.create(spec, cpu);
    for (let i = 0; i < 5; i++) await first.trainStep();
    const file = encodeCheckpoint(await first.checkpoint());
    first.dispose(); // the "kill": nothing survives but the file
    const resumed = await Trainer.resume(decodeCheckpoint(file), cpu);
    const after: number[] = [];
    for (let i = 0; i < 7; i++) after.push((await resumed.trainStep()).loss);
    expect(resumed.train.map((p) => p.loss)).toEqual(losses);
    expect(after).toEqual(losses.slice(5));
    expect(await resumed.evaluate()).toEqual(evalWhole);
  });
});
