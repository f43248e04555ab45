import { describe, expect, it } from 'vitest';
import { defaults } from '../../src/labkit/schema';
import { gemvCost } from '../../src/kernels/quant/cost';
import { bytesPerWeight, defaultShape } from '../../src/kernels/quant/types';
import { OUTLIER_FRACTION, OUTLIER_GAIN } from '../../src/kernels/quant/inputs';
import { meta as decodeMeta } from '../../src/labs/decode/meta';
import { decodeStepCost, H100, SERVING_FORMATS } from '../../src/labs/decode/serving';
import { meta as formatsMeta } from '../../src/labs/data-formats/meta';
import { writeCsv } from '../../src/data/csv';
import { makeDataset } from '../../src/data/dataset';
import { groupSizes, planShards } from '../../src/data/shard';
import { expectedTokens } from '../../src/sim/speculative/model';
import { stateAt } from '../../src/scenarios/state';
import type { ParamValue } from '../../src/labkit/schema';
import { ClaimBook, loadScenario } from '../helpers/claimBook';

/**
 * The decode and data-format scenarios' figures, each computed from the lab's own functions at the
 * step's state (ClaimBook: every figure in their prose must be held here).
 */
function paramsAt(
  id: string,
  lab: string,
  schema: Parameters<typeof defaults>[0],
  step: number,
): Record<string, ParamValue> {
  return { ...defaults(schema), ...(stateAt(loadScenario(id), step).params[lab] ?? {}) };
}
/** Bits per weight as written: exact where three decimals hold it (4.125), else two (4.19). */
const bits = (b: number) => String(Number((8 * b).toFixed(3)) === 8 * b ? 8 * b : Number((8 * b).toFixed(2)));

describe('decode-why-quantize', () => {
  const id = 'decode-why-quantize';
  const book = ClaimBook.scenario(id);
  const at = (step: number) => paramsAt(id, 'decode', decodeMeta.schema, step);
  const K = Number(at(0).K);
  it('int4 bits per weight at groups of 128 and 32, with and without zero points', () => {
    const g128 = Number(at(0).group);
    const g32 = Number(at(2).group);
    book.holds(
      'step 3',
      `the bytes per weight rise from ${bits(bytesPerWeight('int4', K, g128))} to ${bits(bytesPerWeight('int4', K, g32))} bits (with zero points: ${bits(bytesPerWeight('int4-zp', K, g128))} to ${bits(bytesPerWeight('int4-zp', K, g32))})`,
    );
    book.holds('step 3', `Switch to groups of ${g32} (llama.cpp's Q4_0 size)`);
  });
  it("int4's roof: 7.8× f32's while memory-bound (issue 25, item 13)", () => {
    const g = Number(at(3).group);
    const ratio = bytesPerWeight('f32', K, null) / bytesPerWeight('int4', K, g);
    book.holds(
      'step 4',
      `int4's roof is about ${ratio.toFixed(1)}× higher than f32's while memory-bound (${bytesPerWeight('f32', K, null)} bytes per weight against 0.5 + 2/${g})`,
    );
    expect(book.text('step 4')).not.toContain('about 7×');
  });
  it('AWQ: the share of outlier channels and their gain are the inputs the lab generates', () => {
    book.holds('step 2', `${OUTLIER_FRACTION * 100} % of the input channels carry activations ${OUTLIER_GAIN}× larger`);
    book.holds('step 2', `at the same ${8 * 0.5} bits`);
    book.holds('summary', `where ${8 * 0.5}-bit weights stop paying`);
    book.holds(
      'good',
      `Bytes per weight are ${bytesPerWeight('f32', K, null)}, ${bytesPerWeight('f16', K, null)}, 1 + 4/K`,
    );
  });
  it('70B on an H100: 140 GB on two GPUs and 42 ms in BF16; 36 GB, one GPU and 11 ms in int4; crossovers 295 and 77', () => {
    const P = 70e9;
    const f = (x: string) => SERVING_FORMATS.find((s) => s.id === x)!;
    const bf16 = decodeStepCost(P, f('bf16'), 1);
    const int4 = decodeStepCost(P, f('w4a16'), 1);
    const two = ['', 'one', 'two', 'three'][bf16.gpus];
    book.holds(
      'step 5',
      `${Math.round(bf16.weightGB)} GB of BF16 weights need ${two} GPUs just to be held and at least ${Math.round(bf16.ms)} ms per step at batch 1; AWQ/GPTQ int4 is ${Math.round(int4.weightGB)} GB, fits ${['', 'one'][int4.gpus]} GPU, and streams in about ${Math.round(int4.ms)} ms`,
    );
    book.holds(
      'step 5',
      `at a smaller batch (about ${Math.round(int4.crossoverBatch)}) than BF16 (about ${Math.round(bf16.crossoverBatch)})`,
    );
    const w8a8 = decodeStepCost(P, f('w8a8'), 1);
    expect(w8a8.crossoverBatch / bf16.crossoverBatch).toBeCloseTo((H100.int8Tops / H100.bf16Tflops) * 0.5, 6);
    book.holds(
      'step 5',
      `runs on the ${8}-bit tensor cores, ${H100.int8Tops / H100.bf16Tflops === 2 ? 'doubling' : 'raising'} the compute roof`,
    );
    book.holds('step 5', `Weight-only int4 still multiplies in ${8 * f('bf16').bytesPerWeight} bits`);
    book.holds('step 5', `applies the same arithmetic to a ${P / 1e9}B model`);
    book.holds(
      'good',
      `${P / 1e9}B in BF16 is ${Math.round(bf16.weightGB)} GB (${two} ${H100.memoryGB} GB GPUs, ≥ ${Math.round(bf16.ms)} ms per step on H100 bandwidth); int4 is about ${Math.round(int4.weightGB)} GB, one GPU, about ${Math.round(int4.ms)} ms`,
    );
    book.holds('good', `(about ${Math.round(int4.crossoverBatch)} sequences on an H100 for W4A16)`);
  });
  it('every figure is held', () => book.done());
});

describe('decode-speculative', () => {
  const id = 'decode-speculative';
  const book = ClaimBook.scenario(id);
  const at = (step: number) => paramsAt(id, 'decode', decodeMeta.schema, step);
  it('tokens per verification at α = 0.8, γ = 4', () => {
    const p = at(1);
    book.holds(
      'step 2',
      `tokens: ${expectedTokens(Number(p.alpha), Number(p.gamma)).toFixed(2)} at α = ${p.alpha}, γ = ${p.gamma}`,
    );
  });
  it('v stays near 1 while memory-bound: γ+1 rows move almost the bytes of one (cost model)', () => {
    const p = at(0);
    const dims = (M: number) => ({ M, N: Number(p.N), K: Number(p.K) });
    const v =
      gemvCost('int4', dims(Number(p.gamma) + 1), Number(p.group), defaultShape(Number(p.gamma) + 1)).compulsoryBytes /
      gemvCost('int4', dims(1), Number(p.group), defaultShape(1)).compulsoryBytes;
    book.holds('step 1', `the extra rows are almost free and v stays near ${Math.round(v)}`);
    book.holds('good', `(measured v near ${Math.round(v)} at small M)`);
    // Leviathan et al. 2023 assume one verification costs one decode step.
    book.cites(
      'step 3',
      "the paper's v = 1 line",
      'Leviathan et al. 2023, §3.4: the speedup with v = 1 (a verification costs one target-model step)',
    );
    book.cites('good', 'Leviathan et al. take v = 1', 'Leviathan et al. 2023, §3.4');
    book.holds('step 1', 'a GEMM with γ+1 rows instead of a GEMV with one');
  });
  it('every figure is held', () => book.done());
});

describe('data-formats-parquet-vs-csv', () => {
  const id = 'data-formats-parquet-vs-csv';
  const book = ClaimBook.scenario(id);
  const at = (step: number) => paramsAt(id, 'data-formats', formatsMeta.schema, step);
  it('CSV spends about 8 bytes on each 4-byte float', () => {
    const p = at(0);
    const ds = makeDataset({ rows: 2048, features: Number(p.features), seed: 1 });
    const floatsOnly = { ...ds, names: ds.features };
    const header = ds.features.join(',').length + 1;
    const perFloat = (writeCsv(floatsOnly).length - header) / (ds.rows * ds.features.length);
    book.holds(
      'step 1',
      `text spends about ${Math.round(perFloat)} bytes on each ${Float32Array.BYTES_PER_ELEMENT}-byte float`,
    );
    expect(book.text('step 1')).not.toContain('about 8 bytes');
    book.holds('step 1', `a six-valued source and ${p.features} float features`);
  });
  it('the filter keeps the step’s share of days', () => {
    book.holds('step 3', `keeps the newest ${Number(at(2).selectivity) * 100}% of days`);
  });
  it('3 ranks over 32 row groups: two ranks hold an extra group', () => {
    const p = at(4);
    const groups = groupSizes(Number(p.rows), Number(p.rowGroupRows));
    const plan = planShards(groups, 3, 256);
    const extra = plan.byRank.filter((g) => g.length > Math.min(...plan.byRank.map((x) => x.length))).length;
    book.holds(
      'step 5',
      `Now try 3 ranks with ${groups.length} groups: 3 does not divide ${groups.length}, so ${['no', 'one', 'two'][extra]} ranks hold an extra group`,
    );
    expect(planShards(groups, Number(p.ranks), 256).even).toBe(true);
    book.holds('step 5', `each rank reads every ${p.ranks}th row group`);
  });
  it('the 100 TB corpus is the interview question’s given', () => {
    expect(loadScenario(id).interviewQuestion).toContain('100 TB');
    book.holds('good', 'at 100 TB means more storage');
  });
  it('every figure is held', () => book.done());
});
