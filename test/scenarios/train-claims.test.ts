import { describe, expect, it } from 'vitest';
import { defaults, type ParamValue } from '../../src/labkit/schema';
import { meta as trainMeta } from '../../src/labs/train/meta';
import { specOf, type TrainParams } from '../../src/labs/train/spec';
import { matmulParameters, parameterCount, trainingFlopsPerToken } from '../../src/model/count';
import type { GptConfig } from '../../src/model/config';
import { VOCAB } from '../../src/model/tokenizer';
import { stateAt } from '../../src/scenarios/state';
import { ClaimBook, loadScenario } from '../helpers/claimBook';

/**
 * The Train lab's scenarios: every figure is computed from the model's closed-form counts
 * (src/model/count.ts) and the tokenizer at the lab state the step names. Nothing here trains:
 * figures only a run can give (a loss level, an accuracy) are not written in the prose.
 */
function paramsAt(id: string, step: number): TrainParams {
  return { ...defaults(trainMeta.schema), ...(stateAt(loadScenario(id), step).params.train ?? {}) } as Record<
    string,
    ParamValue
  > as TrainParams;
}
const configAt = (id: string, step: number): GptConfig => specOf(paramsAt(id, step)).model;
/** A count as prose writes it: 26,400. */
const grouped = (n: number) => n.toLocaleString('en-US');

describe('train-gpt-in-your-tab', () => {
  const id = 'train-gpt-in-your-tab';
  const book = ClaimBook.scenario(id);
  const c = configAt(id, 0);
  it('the parameter count and FLOPs per training token at the step-1 model', () => {
    const kflop = Math.round(trainingFlopsPerToken(c).total / 1e3);
    book.holds(
      'step 1',
      `${grouped(parameterCount(c))} parameters (V·D + T·D + L·(12D² + 13D) + 2D with V = ${c.vocab}, T = ${c.context}, D = ${c.dModel}, L = ${c.layers}) and about ${kflop} kFLOP per training token`,
    );
    book.holds('summary', `with ${grouped(parameterCount(c))} parameters`);
    expect(c.vocab).toBe(VOCAB);
  });
  it('the uniform-guess loss is ln V over the tokenizer’s alphabet', () => {
    book.holds('step 2', `ln ${VOCAB} ≈ ${Math.log(VOCAB).toFixed(2)} nats, a uniform guess over the ${VOCAB} tokens`);
    book.holds('good 1', `far below ln ${VOCAB}`);
  });
  it('the last answer digit (the carry of two operands) is 0 or 1', () => {
    const digits = Number(paramsAt(id, 1).digits);
    const maxSum = 2 * (10 ** digits - 1);
    const carry = Math.floor(maxSum / 10 ** digits);
    book.holds('step 2', `the last one is 0 or ${carry}`);
    expect(carry).toBe(1);
  });
  it('every figure is held', () => book.done());
});

describe('train-kill-and-resume', () => {
  const id = 'train-kill-and-resume';
  const book = ClaimBook.scenario(id);
  const p = paramsAt(id, 0);
  const every = Number(p.checkpointEvery);
  it('passing the second checkpoint, the lab has written one to reload from', () => {
    book.holds('step 1', `let it pass step ${2 * every}`);
  });
  it('a checkpoint holds weights and both AdamW moments as float32', () => {
    const n = parameterCount(configAt(id, 0));
    const arrays = ['weights', 'm', 'v'].length;
    book.holds(
      'step 1',
      `For ${grouped(n)} parameters that is three float32 arrays (weights and both AdamW moments, ${grouped(arrays * n * Float32Array.BYTES_PER_ELEMENT)} bytes)`,
    );
  });
  it('every figure is held', () => book.done());
});

describe('train-where-step-time-goes', () => {
  const id = 'train-where-step-time-goes';
  const book = ClaimBook.scenario(id);
  const c = configAt(id, 0);
  const f = trainingFlopsPerToken(c);
  const perWeight = f.dense / matmulParameters(c);
  /** A multiply-add is two FLOPs: the forward pass does one per weight per token. */
  const forward = 2;
  it('6 FLOPs per matmul weight: 2 forward, 4 backward', () => {
    book.holds(
      'step 1',
      `${perWeight} per weight that a token multiplies (${forward} in the forward pass, ${perWeight - forward} in the backward`,
    );
    book.holds('summary', `Training FLOPs per token are ${perWeight} per matmul weight`);
    book.holds('good 1', `FLOPs per token are ${perWeight}N for the matmul weights plus the attention term 12·L·T·D`);
    expect(f.attention).toBe(12 * c.layers * c.context * c.dModel);
  });
  it('the tied head’s share of the matmul weights at D = 32', () => {
    book.holds(
      'step 1',
      `At D = ${c.dModel} the tied head (V·D = ${c.vocab * c.dModel} weights) is a visible share of the ${grouped(matmulParameters(c))} matmul weights`,
    );
  });
  it('doubling the width: the dense term roughly quadruples, attention doubles', () => {
    const wide = configAt(id, 1);
    expect(wide.dModel).toBe(2 * c.dModel);
    const fw = trainingFlopsPerToken(wide);
    book.holds(
      'step 2',
      `the dense term roughly ${fw.dense / f.dense > 3.5 ? 'quadruples' : 'grows'} while attention’s 12·L·T·D only ${fw.attention / f.attention === 2 ? 'doubles' : 'grows'}`,
    );
  });
  it('a longer context leaves the dense term and grows attention', () => {
    const long = configAt(id, 2);
    const fl = trainingFlopsPerToken(long);
    expect(fl.dense).toBe(trainingFlopsPerToken({ ...long, context: c.context }).dense);
    expect(fl.attention).toBeGreaterThan(trainingFlopsPerToken({ ...long, context: c.context }).attention);
    book.holds('step 3', 'the dense FLOPs per token do not change, but the attention term grows with T');
  });
  it('every figure is held', () => book.done());
});
