import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activationCost, passCost, trafficRatio, UNFUSED_PASSES } from '../../src/kernels/activation/cost';
import { algorithm0Cost, flashCost, standardCost } from '../../src/kernels/attention/cost';
import type { AttentionShape } from '../../src/kernels/attention/shape';
import { matmulCost, reuseFactor } from '../../src/kernels/matmul/cost';
import type { MatmulDims, MatmulVariant, TileShape } from '../../src/kernels/matmul/types';
import type { KernelCost } from '../../src/kernels/types';
import { meta as kvMeta } from '../../src/labs/kv-cache/meta';
import { meta as mwMeta } from '../../src/labs/memory-wall/meta';
import { steadyState } from '../../src/sim/dataloader/formulas';
import { runSimPart } from '../../src/labs/kv-cache/simPart';
import { validateParams } from '../../src/labkit/validate';
import type { ParamValue } from '../../src/labkit/schema';
import { DEFAULT_COSTS, DEFAULT_ENV, simulate, type LoaderConfig } from '../../src/sim/dataloader';
import { LLAMA7B_A100 } from '../../src/sim/kvcache';
import { intensity, ridgePoint, roofsOfProfile } from '../../src/sim/roofline/model';
import { PROFILES } from '../../src/sim/roofline/profiles';
import { stateAt } from '../../src/scenarios/state';
import type { Scenario } from '../../src/scenarios/schema';
import { ClaimBook } from '../helpers/claimBook';
import { bytesPerWeight } from '../../src/kernels/quant/types';
import { meta as clusterMeta } from '../../src/labs/cluster/meta';
import { deepspeedZero3Estimate, LLAMA3_FAILURES, MODEL_PRESETS as CLUSTER_MODELS } from '../../src/sim/cluster';
import { SESSIONS } from '../../src/interview/sessions';
import { stepSeconds, tpAllReduceSeconds } from '../../src/sim/kvcache/costModel';
import { replicaFor } from '../../src/sim/serving/models';

/**
 * Every number a scenario (or a lab's explanation) states that the lab's own models can compute is
 * recomputed here from the cost models and simulators and must appear in the text, rounded as written.
 * Change a model and the text must follow; change the text and the model must back it. Each claim
 * names the step it lives in, the phrase with the computed figure, and how the figure is computed.
 */

const root = join(import.meta.dirname, '../..');

function scenario(id: string): Scenario {
  return JSON.parse(readFileSync(join(root, 'scenarios', `${id}.json`), 'utf8')) as Scenario;
}

function source(path: string): string {
  // Explanations are JSX: collapse the source's line breaks and indentation as the browser does.
  return readFileSync(join(root, path), 'utf8').replace(/\s+/g, ' ');
}

/** Parameters of the scenario's lab at a step: its starting values with every step's changes so far. */
function paramsAt(s: Scenario, step: number, lab = s.lab): Record<string, ParamValue> {
  return stateAt(s, step).params[lab] ?? {};
}

function num(p: Record<string, ParamValue>, key: string): number {
  const v = p[key];
  if (v === undefined) throw new Error(`the scenario does not set ${key}; the claim needs it`);
  return Number(v);
}

const total = (c: KernelCost) => c.bytesRead + c.bytesWritten;

/** Rounds as prose does: 2.0 is written "2", 1.48 at one decimal "1.5". */
function dec(x: number, digits: number): string {
  return String(Number(x.toFixed(digits)));
}
/** A ratio with the decimals the text uses, keeping trailing zeros ("6.0×"). */
function fixed(x: number, digits: number): string {
  return x.toFixed(digits);
}
function pct(x: number, digits = 0): string {
  return `${(x * 100).toFixed(digits)}%`;
}

interface Claim {
  /** What the text says, for the failure message. */
  what: string;
  scenario?: string;
  step?: number | 'good';
  /** A source file instead of a scenario (lab explanations and help strings). */
  file?: string;
  /** The phrase that must appear, with the computed figure in it. */
  phrase(): string;
}

// ---------- flash-attention-io: the attention cost model (src/kernels/attention/cost.ts) ----------

const FA = 'flash-attention-io';
function attentionShape(step: number, override: Partial<AttentionShape> = {}): AttentionShape {
  const p = paramsAt(scenario(FA), step);
  return { bh: num(p, 'heads'), n: num(p, 'n'), d: num(p, 'd'), causal: Boolean(p.causal), ...override };
}
function attentionTile(step: number) {
  const p = paramsAt(scenario(FA), step);
  return { br: num(p, 'br'), bc: num(p, 'bc') };
}
function attentionBytes(step: number, override: Partial<AttentionShape> = {}) {
  const s = attentionShape(step, override);
  return { standard: total(standardCost(s)), tiled: total(flashCost(s, attentionTile(step))) };
}
const attentionRatio = (step: number, o: Partial<AttentionShape> = {}) => {
  const b = attentionBytes(step, o);
  return b.standard / b.tiled;
};
/** Log-log slope of each path's bytes between two sequence lengths, at a step's other parameters. */
function attentionSlope(step: number, n0: number, n1: number) {
  const a = attentionBytes(step, { n: n0 });
  const b = attentionBytes(step, { n: n1 });
  const k = Math.log(n1 / n0);
  return { standard: Math.log(b.standard / a.standard) / k, tiled: Math.log(b.tiled / a.tiled) / k };
}
/** Bytes per (query, key) pair per head as N grows without bound (evaluated at N = 65,536). */
function attentionPerPair(step: number) {
  const n = 65536;
  const s = attentionShape(step, { n });
  const b = attentionBytes(step, { n });
  return { standard: b.standard / (s.bh * n * n), tiled: b.tiled / (s.bh * n * n) };
}
/** Algorithm 0's bytes (every matrix crosses memory once) over the tiled path's: the fair yardstick (issue 25, item 7). */
const algorithm0Ratio = (step: number, o: Partial<AttentionShape> = {}) =>
  total(algorithm0Cost(attentionShape(step, o))) / attentionBytes(step, o).tiled;
const DOUBLE_N = 2;
const CAUSAL = 3;
const SWEEP = 4;

// ---------- memory-wall-fusion: the activation cost model (src/kernels/activation/cost.ts) ----------

const MW = 'memory-wall-fusion';
function mwSize(step: number) {
  const p = paramsAt(scenario(MW), step);
  return { n: num(p, 'size'), h: num(p, 'hidden') };
}
/** Bytes per element of a variant: the slope of its traffic in N (the bias, fixed in N, drops out). */
function bytesPerElement(variant: 'unfused' | 'fused', h: number): number {
  const n = 1 << 20;
  return (total(activationCost(variant, 2 * n, h)) - total(activationCost(variant, n, h))) / n;
}
function passIntensities(n: number, h: number): number[] {
  return UNFUSED_PASSES.map((p) => {
    const c = passCost(p, n, h);
    return intensity(c.flops, total(c));
  });
}
const MiB = 2 ** 20;

// ---------- tiling-reuse: the matmul cost model (src/kernels/matmul/cost.ts) ----------

const TR = 'tiling-reuse';
function tilingAt(step: number): { variant: MatmulVariant; dims: MatmulDims; shape: TileShape } {
  const p = paramsAt(scenario(TR), step);
  const block = num(p, 'block');
  return {
    variant: p.variant as MatmulVariant,
    dims: { M: num(p, 'M'), N: num(p, 'N'), K: num(p, 'K') },
    shape: { tileM: num(p, 'tileM'), tileN: num(p, 'tileN'), tileK: num(p, 'tileK'), blockM: block, blockN: block },
  };
}
const reuseAt = (step: number) => {
  const t = tilingAt(step);
  return reuseFactor(t.variant, t.dims, t.shape);
};

// ---------- paged-kv-waste: the KV-cache simulator (src/sim/kvcache), run as the lab runs it ----------

const KV = 'paged-kv-waste';
const kvRuns = new Map<number, ReturnType<typeof runSimPart>>();
function kvAt(step: number) {
  let r = kvRuns.get(step);
  if (!r) {
    // Validated as the lab's route does: the validator returns the schema's typed values.
    r = runSimPart(validateParams(kvMeta.schema, paramsAt(scenario(KV), step)).values);
    kvRuns.set(step, r);
  }
  return r;
}
const paged = (step: number) => kvAt(step).paged!.summary;
const contiguous = (step: number) => kvAt(step).contiguous!.summary;

const CLAIMS: Claim[] = [
  // flash-attention-io
  {
    what: 'byte ratio at the first step',
    scenario: FA,
    step: 0,
    phrase: () =>
      `${fixed(attentionRatio(0), 1)}× fewer global bytes for the tiled path than our three unfused kernels`,
  },
  {
    what: 'byte ratio against Algorithm 0 at the first step',
    scenario: FA,
    step: 0,
    phrase: () => `moves only ${fixed(algorithm0Ratio(0), 2)}× fewer bytes here`,
  },
  {
    what: 'S and P round trips and the matmul re-reads per pair',
    scenario: FA,
    step: DOUBLE_N,
    phrase: () => {
      // S and P written and read once: 4 floats per pair; the rest of the standard path's per-pair bytes are the re-reads.
      const sp = 4 * 4;
      return `${sp} bytes; plus the two matmuls' re-reads of Q, K and V through 64-wide tiles: ${dec(attentionPerPair(DOUBLE_N).standard - sp, 0)} bytes)`;
    },
  },
  {
    what: 'the S and P saving factor 2·Br/d',
    scenario: FA,
    step: DOUBLE_N,
    phrase: () =>
      `2·Br/d, ${dec((2 * attentionTile(DOUBLE_N).br) / attentionShape(DOUBLE_N).d, 2)} at Br = ${attentionTile(DOUBLE_N).br}`,
  },
  {
    what: 'byte ratio against Algorithm 0 at N = 1024',
    scenario: FA,
    step: DOUBLE_N,
    phrase: () => `against Algorithm 0's count it is ${fixed(algorithm0Ratio(DOUBLE_N), 2)}× at this N`,
  },
  {
    what: 'byte ratio against Algorithm 0 without and with the mask',
    scenario: FA,
    step: CAUSAL,
    phrase: () =>
      `from ${fixed(algorithm0Ratio(CAUSAL, { causal: false }), 2)}× to ${fixed(algorithm0Ratio(CAUSAL), 1)}×: the gain under a mask is the skipped blocks`,
  },
  {
    what: 'the good answer against both yardsticks',
    scenario: FA,
    step: 'good',
    phrase: () =>
      `${fixed(attentionRatio(DOUBLE_N), 1)}× fewer than our three kernels at N = 1024, d = 64, Br = 32 without a mask, but only ${fixed(algorithm0Ratio(DOUBLE_N), 2)}× against Algorithm 0's count`,
  },
  {
    what: 'S and P factor in the good answer',
    scenario: FA,
    step: 'good',
    phrase: () => `2·Br/d, ${dec((2 * attentionTile(DOUBLE_N).br) / attentionShape(DOUBLE_N).d, 2)} at Br = 32`,
  },
  {
    what: 'causal ratio against Algorithm 0 in the good answer',
    scenario: FA,
    step: 'good',
    phrase: () => `${fixed(algorithm0Ratio(DOUBLE_N, { causal: true }), 1)}× against Algorithm 0`,
  },
  {
    what: 'growth of each path from N = 512 to 1024',
    scenario: FA,
    step: DOUBLE_N,
    phrase: () => {
      const a = attentionBytes(DOUBLE_N, { n: 512 });
      const b = attentionBytes(DOUBLE_N);
      return `standard ${fixed(b.standard / a.standard, 2)}×, tiled ${fixed(b.tiled / a.tiled, 2)}×`;
    },
  },
  {
    what: 'standard bytes per query-key pair',
    scenario: FA,
    step: DOUBLE_N,
    phrase: () => `about ${dec(attentionPerPair(DOUBLE_N).standard, 0)} bytes`,
  },
  {
    what: 'tiled bytes per query-key pair',
    scenario: FA,
    step: DOUBLE_N,
    phrase: () => `${dec(attentionPerPair(DOUBLE_N).tiled, 0)} bytes here`,
  },
  {
    what: 'byte ratio at N = 1024, no mask',
    scenario: FA,
    step: DOUBLE_N,
    phrase: () => `(${fixed(attentionRatio(DOUBLE_N), 1)}× at this N)`,
  },
  {
    what: 'the limiting ratio to our unfused kernels, near 2',
    scenario: FA,
    step: DOUBLE_N,
    phrase: () => `stays near ${Math.round(attentionPerPair(DOUBLE_N).standard / attentionPerPair(DOUBLE_N).tiled)}× (`,
  },
  {
    what: 'the tiled slope tends to 2',
    scenario: FA,
    step: SWEEP,
    phrase: () => `and tends to ${Math.round(attentionSlope(SWEEP, 16384, 32768).tiled)}, because it is quadratic`,
  },
  {
    what: 'outputs fed per loaded tile element',
    scenario: TR,
    step: 3,
    phrase: () => `feeds ${dec(reuseAt(3), 0)} outputs`,
  },
  {
    what: 'ragged size against the tile',
    scenario: TR,
    step: 4,
    phrase: () => `${tilingAt(4).dims.M} is not a multiple of ${tilingAt(4).shape.tileM}`,
  },
  {
    what: 'causal FLOPs share',
    scenario: FA,
    step: CAUSAL,
    phrase: () => {
      const t = attentionTile(CAUSAL);
      const masked = flashCost(attentionShape(CAUSAL), t).flops;
      const open = flashCost(attentionShape(CAUSAL, { causal: false }), t).flops;
      return `fall to ${pct(masked / open)} of the unmasked count`;
    },
  },
  {
    what: 'byte ratio without and with the mask',
    scenario: FA,
    step: CAUSAL,
    phrase: () =>
      `from ${fixed(attentionRatio(CAUSAL, { causal: false }), 1)}× to ${fixed(attentionRatio(CAUSAL), 1)}×`,
  },
  {
    what: 'standard slope on the sweep',
    scenario: FA,
    step: SWEEP,
    phrase: () => `climbs with slope ${dec(attentionSlope(SWEEP, 512, 1024).standard, 1)} (`,
  },
  {
    what: 'tiled slope at small N',
    scenario: FA,
    step: SWEEP,
    phrase: () => `slope ${dec(attentionSlope(SWEEP, 64, 128).tiled, 1)} from N = 64 to 128`,
  },
  {
    what: 'tiled slope at N = 1024',
    scenario: FA,
    step: SWEEP,
    phrase: () => `steepens to ${dec(attentionSlope(SWEEP, 512, 1024).tiled, 1)} between 512 and 1024`,
  },
  {
    what: 'limiting byte ratio (causal)',
    scenario: FA,
    step: SWEEP,
    phrase: () => {
      const pp = attentionPerPair(SWEEP);
      return `${fixed(pp.standard / pp.tiled, 1)}× in the limit`;
    },
  },

  // memory-wall-fusion
  {
    what: 'per-pass intensity range',
    scenario: MW,
    step: 0,
    phrase: () => {
      const { n, h } = mwSize(0);
      const xs = passIntensities(n, h);
      return `at ${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toPrecision(2)} FLOPs per byte`;
    },
  },
  {
    what: 'bytes per element, fused and unfused',
    scenario: MW,
    step: 1,
    phrase: () =>
      `${bytesPerElement('fused', mwSize(1).h)} bytes per element instead of ${bytesPerElement('unfused', mwSize(1).h)}`,
  },
  {
    what: 'traffic ratio',
    scenario: MW,
    step: 1,
    phrase: () => `${fixed(trafficRatio(mwSize(1).n, mwSize(1).h), 2)}× fewer bytes at N = 1 M and H = 4096`,
  },
  {
    what: 'tensor size at 4 M elements',
    scenario: MW,
    step: 3,
    phrase: () => `At ${mwSize(3).n / MiB} M elements every tensor is ${(4 * mwSize(3).n) / MiB} MiB`,
  },
  {
    what: 'tensor size at 1 M elements',
    scenario: MW,
    step: 3,
    phrase: () => `At ${mwSize(0).n / MiB} M elements (${(4 * mwSize(0).n) / MiB} MiB per tensor)`,
  },
  {
    what: 'the lab default size',
    scenario: MW,
    step: 3,
    phrase: () => {
      const n = Number(mwMeta.schema.find((x) => x.key === 'size')!.default);
      return `the lab's default of ${n / MiB} M elements (${(4 * n) / MiB} MiB per tensor)`;
    },
  },
  {
    what: 'vec4 bytes per access',
    scenario: MW,
    step: 2,
    phrase: () => `moves ${4 * 4} bytes per load and store instead of ${4}`,
  },
  {
    what: 'single-pass intensities in the good answer round to 1 or less',
    scenario: MW,
    step: 'good',
    phrase: () => `about ${Math.round(Math.max(...passIntensities(mwSize(0).n, mwSize(0).h)))} FLOP per byte or less`,
  },
  {
    what: 'working sets at 4 M elements',
    scenario: MW,
    step: 3,
    phrase: () => {
      const { n, h } = mwSize(3);
      // Every byte the fused kernel moves is a distinct tensor element (x, residual, output, bias);
      // the unfused chain adds one intermediate tensor of N floats.
      const fused = total(activationCost('fused', n, h));
      return `touches ${Math.round(fused / MiB)} MiB (x, residual, output) and the unfused chain ${Math.round((fused + 4 * n) / MiB)} MiB`;
    },
  },
  {
    what: 'intensities in the good answer',
    scenario: MW,
    step: 'good',
    phrase: () => {
      const { n, h } = mwSize(0);
      const xs = passIntensities(n, h);
      const u = activationCost('unfused', n, h);
      const f = activationCost('fused', n, h);
      return `(${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toPrecision(2)} for the single passes, ${intensity(u.flops, total(u)).toFixed(2)} for the unfused chain, ${intensity(f.flops, total(f)).toFixed(2)} fused)`;
    },
  },
  {
    what: 'bytes per element and ratio in the good answer',
    scenario: MW,
    step: 'good',
    phrase: () => {
      const { n, h } = mwSize(0);
      return `from ${bytesPerElement('unfused', h)} to ${bytesPerElement('fused', h)} bytes per element, ${fixed(trafficRatio(n, h), 2)}×`;
    },
  },
  {
    what: 'bytes per element in the lab explanation',
    file: 'src/labs/memory-wall/View.tsx',
    phrase: () => `${bytesPerElement('unfused', 4096)} bytes per element`,
  },
  {
    what: 'fused bytes per element in the lab explanation',
    file: 'src/labs/memory-wall/View.tsx',
    phrase: () => `${bytesPerElement('fused', 4096)} bytes per element`,
  },

  // tiling-reuse
  {
    what: 'reuse of 16×16 tiles',
    scenario: TR,
    step: 0,
    phrase: () => `${dec(reuseAt(0), 1)} times fewer by the cost model`,
  },
  {
    what: 'loads of each A value, naive and tiled',
    scenario: TR,
    step: 0,
    phrase: () => {
      const t = tilingAt(0);
      return `${t.dims.N} ÷ ${t.shape.tileN} = ${Math.ceil(t.dims.N / t.shape.tileN)} times instead of ${t.dims.N}`;
    },
  },
  {
    what: 'register-blocked reuse',
    scenario: TR,
    step: 3,
    phrase: () => `to ${dec(reuseAt(3), 1)} times fewer bytes than naive`,
  },
  {
    what: 'register blocking gain over 16×16 tiles',
    scenario: TR,
    step: 3,
    phrase: () =>
      `falls ${['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'][reuseAt(3) / reuseAt(0)]}-fold again`,
  },
  { what: 'reuse at ragged sizes', scenario: TR, step: 4, phrase: () => `to ${dec(reuseAt(4), 1)}×` },
  {
    what: 'reuse in the good answer',
    scenario: TR,
    step: 'good',
    phrase: () => `${dec(reuseAt(0), 1)}× for 16×16 tiles, ${dec(reuseAt(3), 1)}× with 64×64`,
  },

  // paged-kv-waste
  {
    what: 'contiguous waste',
    scenario: KV,
    step: 1,
    phrase: () => `In this run ${pct(contiguous(1).waste)} of the contiguous allocation holds no token`,
  },
  {
    what: 'contiguous over-reservation',
    scenario: KV,
    step: 1,
    phrase: () => `over-reservation row, ${pct(contiguous(1).overReservation)}, is`,
  },
  {
    what: 'contiguous KV memory in use',
    scenario: KV,
    step: 1,
    phrase: () => `only ${pct(contiguous(1).kvInUse)} of the KV memory holds live tokens`,
  },
  {
    what: 'contiguous external fragmentation',
    scenario: KV,
    step: 1,
    phrase: () => `External fragmentation stays at ${pct(contiguous(1).externalFragmentation)} here`,
  },
  {
    what: 'contiguous requests at a time',
    scenario: KV,
    step: 1,
    phrase: () => `at most ${contiguous(1).peakRunning} requests`,
  },
  { what: 'paged waste', scenario: KV, step: 1, phrase: () => `${pct(paged(1).waste, 1)} here, under the paper's 4%` },
  {
    what: 'paged waste at 128-token blocks',
    scenario: KV,
    step: 2,
    phrase: () => `rises from ${pct(paged(1).waste, 1)} to ${pct(paged(2).waste)}`,
  },
  {
    what: 'sequences running under memory pressure',
    scenario: KV,
    step: 5,
    phrase: () =>
      `(${contiguous(5).meanRunning.toFixed(1)} running on average against ${paged(5).meanRunning.toFixed(1)} paged)`,
  },
  {
    what: 'KV bytes per token in the help text',
    file: 'src/labs/kv-cache/meta.ts',
    phrase: () =>
      `LLaMA-7B in fp16 (full multi-head attention) needs ${LLAMA7B_A100.kvBytesPerToken / 1024} KiB per token`,
  },
  {
    what: 'KV bytes per token in the explanation',
    file: 'src/labs/kv-cache/View.tsx',
    phrase: () => `${LLAMA7B_A100.kvBytesPerToken / 1024} KiB per token for LLaMA-7B in fp16`,
  },
  {
    what: 'modelled rates in the explanation',
    file: 'src/labs/kv-cache/View.tsx',
    phrase: () => `at ${LLAMA7B_A100.memBytesPerS / 1e12} TB/s, prefill at ${LLAMA7B_A100.flopsPerS / 1e12} TFLOP/s`,
  },

  // device-roofs: the sizes the steps name are the parameters they set
  {
    what: 'the copy buffer of the first step',
    scenario: 'device-roofs',
    step: 1,
    phrase: () => `A ${num(paramsAt(scenario('device-roofs'), 0), 'copyMiB')} MiB buffer`,
  },
  {
    what: 'copy buffer growth',
    scenario: 'device-roofs',
    step: 1,
    phrase: () => {
      const s = scenario('device-roofs');
      const k = num(paramsAt(s, 1), 'copyMiB') / num(paramsAt(s, 0), 'copyMiB');
      return ({ 2: 'Double it', 4: 'Quadruple it' } as Record<number, string>)[k] ?? `${k}× it`;
    },
  },
  {
    what: 'FMA invocations (thousands)',
    scenario: 'device-roofs',
    step: 2,
    phrase: () => `With ${num(paramsAt(scenario('device-roofs'), 2), 'fmaThreads')} K invocations`,
  },

  // dataloader-starving-gpu: the copy rates the simulator uses
  {
    what: 'modelled pinned and pageable copy rates',
    scenario: 'dataloader-starving-gpu',
    step: 7,
    phrase: () =>
      `modelled here as ${DEFAULT_COSTS.pinnedGBps} against ${DEFAULT_COSTS.pageableGBps} GB/s, not measured`,
  },
];

/** One claim book per scenario this file holds (test/helpers/claimBook.ts). */
const books = new Map<string, ClaimBook>();
function book(id: string): ClaimBook {
  let b = books.get(id);
  if (!b) books.set(id, (b = ClaimBook.scenario(id)));
  return b;
}

/**
 * Published figures the labs cannot compute, held with their sources (ClaimBook.cites).
 */
const CITED: { scenario: string; step: number | 'good'; phrase: string; source: string }[] = [
  {
    scenario: MW,
    step: 3,
    phrase: 'an A100 has 40 MB',
    source: 'NVIDIA A100 Tensor Core GPU Architecture whitepaper: 40 MB L2 cache',
  },
  {
    scenario: MW,
    step: 3,
    phrase: 'the 72 MB L2 of an RTX 4090',
    source: 'NVIDIA Ada GPU Architecture whitepaper: AD102 in the RTX 4090, 72 MB L2',
  },
  {
    scenario: MW,
    step: 3,
    phrase: "an H100's 50 MB",
    source: 'NVIDIA H100 Tensor Core GPU Architecture whitepaper: H100 SXM5, 50 MB L2',
  },
  {
    scenario: TR,
    step: 3,
    phrase: 'shared-memory tiling reached 2,980 GFLOP/s and 2D register blocking 15,972',
    source:
      'Simon Boehm, "How to Optimize a CUDA Matmul Kernel for cuBLAS-like Performance" (2022), results table on an A6000',
  },
  {
    scenario: KV,
    step: 1,
    phrase: "in line with the paper's 20.4–38.2%",
    source:
      'Kwon et al. 2023 (vLLM), §1: only 20.4%–38.2% of KV cache memory stores actual token states in existing systems',
  },
  {
    scenario: KV,
    step: 'good',
    phrase: 'only 20.4–38.2% of KV memory held tokens',
    source: 'Kwon et al. 2023 (vLLM), §1 and Figure 2',
  },
  {
    scenario: KV,
    step: 2,
    phrase: "vLLM's default of 16",
    source: 'vLLM engine arguments: --block-size defaults to 16 tokens',
  },
  {
    scenario: KV,
    step: 'good',
    phrase: 'under 4% at block size 16',
    source: 'Kwon et al. 2023 (vLLM), §4.3/§6: paged waste under 4% (the last block of each request)',
  },
  {
    scenario: 'device-roofs',
    step: 1,
    phrase: 'typically reaches 70–90% of the HBM or GDDR figure',
    source: 'src/sim/roofline/profiles.ts: achievable rates are typically 70–90 % of datasheet peaks',
  },
];

describe('scenario claims match the cost models and simulators', () => {
  it.each(
    CLAIMS.map(
      (c) =>
        [
          `${c.scenario ?? c.file}${c.step === undefined ? '' : ` step ${c.step === 'good' ? 'goodAnswer' : c.step + 1}`}: ${c.what}`,
          c,
        ] as const,
    ),
  )('%s', (_, c) => {
    if (c.file) expect(source(c.file), `the text should state the computed figure`).toContain(c.phrase());
    else book(c.scenario!).holds(c.step === 'good' ? 'good' : `step ${c.step! + 1}`, c.phrase(), c.what);
  });
  it.each(CITED.map((c) => [`${c.scenario}: ${c.phrase}`, c] as const))('cited: %s', (_, c) => {
    book(c.scenario).cites(c.step === 'good' ? 'good' : `step ${c.step + 1}`, c.phrase, c.source);
  });
  it('dataloader: with enough workers the steady-state prediction nears 100%', () => {
    const s = scenario('dataloader-starving-gpu');
    const p = paramsAt(s, 2);
    const cfg: LoaderConfig = {
      numWorkers: num(p, 'numWorkers'),
      prefetchFactor: num(p, 'prefetchFactor'),
      batchSize: num(p, 'batchSize'),
      features: num(p, 'features'),
      format: 'csv',
      augment: num(p, 'augment'),
      stepMs: num(p, 'stepMs'),
      stepsPerEpoch: num(p, 'stepsPerEpoch'),
      epochs: num(p, 'epochs'),
      pinMemory: Boolean(p.pinMemory),
      persistentWorkers: Boolean(p.persistentWorkers),
    };
    const env = { storage: DEFAULT_ENV.storage, ranks: 1 };
    const enough = steadyState(
      { ...cfg, numWorkers: steadyState(cfg, DEFAULT_COSTS, env).workersNeeded },
      DEFAULT_COSTS,
      env,
    );
    book('dataloader-starving-gpu').holds(
      'step 3',
      `steady-state prediction nears ${Math.round(enough.utilization * 100)}%`,
    );
  });
});

describe('scenario claims without a figure in the text, checked against the models', () => {
  it('tiling: a deeper Tile K moves the same global bytes', () => {
    const a = tilingAt(1);
    const b = tilingAt(2);
    expect(b.shape.tileK).toBe(2 * a.shape.tileK);
    expect(matmulCost(b.variant, b.dims, b.shape)).toEqual(matmulCost(a.variant, a.dims, a.shape));
    // ...and halves the barriers: one K step (two barriers) per Tile K of the K dimension.
    expect(Math.ceil(b.dims.K / b.shape.tileK)).toBe(Math.ceil(a.dims.K / a.shape.tileK) / 2);
  });

  it('attention: the sweep at the last step includes the lengths the slopes are quoted at', () => {
    // run.ts sweeps N = 64, 128, ... below the chosen N (the last five), then the chosen N itself.
    const n = attentionShape(SWEEP).n;
    const ns: number[] = [];
    for (let k = 64; k < n; k *= 2) ns.push(k);
    const swept = [...ns.slice(-5), n];
    for (const k of [64, 128, 512, 1024]) expect(swept).toContain(k);
    expect(attentionShape(SWEEP).causal).toBe(true);
  });

  it('attention: both paths stay quadratic, so the tiled slope tends to 2 and the ratio to a constant', () => {
    const big = attentionSlope(SWEEP, 16384, 32768);
    expect(big.standard).toBeCloseTo(2, 2);
    expect(big.tiled).toBeCloseTo(2, 2);
  });

  it('memory wall: every reference GPU has its ridge point right of every pass, so fusion pays everywhere', () => {
    const { n, h } = mwSize(0);
    const most = Math.max(...passIntensities(n, h));
    for (const p of PROFILES) expect(ridgePoint(roofsOfProfile(p)), p.id).toBeGreaterThan(most);
  });

  it('kv cache: with n = 4 samples the contiguous baseline cannot hold one request', () => {
    expect(kvAt(4).contiguous).toBeNull();
    expect(kvAt(4).contiguousError).toMatch(/needs \d+ blocks/);
  });

  it('dataloader: persistent workers pay start-up once, yet the queue refills from empty at the second epoch', () => {
    const s = scenario('dataloader-starving-gpu');
    const p = paramsAt(s, 3);
    expect(p.persistentWorkers).toBe(true);
    const cfg = (persistent: boolean): LoaderConfig => ({
      numWorkers: num(p, 'numWorkers'),
      prefetchFactor: num(p, 'prefetchFactor'),
      batchSize: num(p, 'batchSize'),
      features: num(p, 'features'),
      format: 'csv',
      augment: num(p, 'augment'),
      stepMs: num(p, 'stepMs'),
      stepsPerEpoch: num(p, 'stepsPerEpoch'),
      epochs: num(p, 'epochs'),
      pinMemory: Boolean(p.pinMemory),
      persistentWorkers: persistent,
    });
    const env = { ...DEFAULT_ENV, jitter: 0 };
    const kept = simulate(cfg(true), DEFAULT_COSTS, env, { traceBatches: 1e6 });
    const fresh = simulate(cfg(false), DEFAULT_COSTS, env, { traceBatches: 1e6 });
    expect(kept.stats.startupMs).toBe(DEFAULT_COSTS.workerStartMs);
    expect(fresh.stats.startupMs).toBe(2 * DEFAULT_COSTS.workerStartMs);
    const firstOfEpoch2 = cfg(true).stepsPerEpoch;
    const refill = kept.trace.spans.find((x) => x.lane === -1 && x.kind === 'wait' && x.batch === firstOfEpoch2);
    expect(refill, 'the GPU waits for the first batch of the second epoch').toBeDefined();
    expect(refill!.t1 - refill!.t0).toBeGreaterThan(0);
  });
});

describe('every figure in these scenarios is held by a check above', () => {
  it.each([FA, MW, TR, KV, 'device-roofs', 'dataloader-starving-gpu'])('%s', (id) => {
    book(id).done();
  });
});

/**
 * Issue 25: each figure a review found wrong, held to the model it should come from. Each test
 * fails if the wrong figure comes back (the others are held in the tests named beside them).
 */
describe('issue 25: the reviewed figures', () => {
  const labSource = (lab: string, file = 'View.tsx') => source(`src/labs/${lab}/${file}`);
  it('1. a GEMV does 0.5 FLOP per f32 weight byte (1 for f16, 3.9 for int4 g128), not 2', () => {
    const intensity = (v: 'f32' | 'f16' | 'int4') => 2 / bytesPerWeight(v, 4096, v === 'int4' ? 128 : null);
    expect(labSource('decode')).toContain(
      `about ${intensity('f32')} FLOP per weight byte for f32 (${intensity('f16')} for f16, ${intensity('int4').toFixed(1)} for int4 in groups of 128)`,
    );
    expect(labSource('decode')).not.toContain('2 FLOPs per weight byte');
  });
  // 2, 3, 4: test/interview/session-claims.test.ts; 5: test/kernels/matmul-trace.test.ts; 6: test/labs/serving-scenarios.test.ts.
  it('7. the flash-attention title no longer promises far fewer bytes', () => {
    expect(scenario(FA).title).not.toMatch(/fewer bytes/);
    expect(algorithm0Ratio(DOUBLE_N)).toBeLessThan(1.1);
  });
  it("8. DeepSpeed's largest-layer term is 16-bit params + 16-bit grads, 4 bytes per parameter of that layer", () => {
    const largest = 1e9;
    const e = deepspeedZero3Estimate(70e9, largest, {
      gpusPerNode: 8,
      nodes: 1,
      offloadParams: true,
      offloadOptimizer: true,
      zeroInit: true,
    });
    expect(e.gpuBytes).toBe((2 + 2) * largest);
    expect(labSource('cluster')).toContain(
      'plus the largest layer’s 16-bit parameters gathered and its 16-bit gradients, 4 bytes per parameter of that layer',
    );
    expect(labSource('cluster')).not.toContain('largest layer in fp32');
    expect(source('src/sim/cluster/deepspeedEstimate.ts')).not.toContain('largest layer gathered in fp32');
  });
  it('9. Llama 3: up to 16,384 GPUs, 78% of unexpected interruptions were hardware, > 90% effective training time', () => {
    const hw = Number(clusterMeta.schema.find((p) => p.key === 'hwShare')!.default);
    expect(labSource('cluster')).toContain(
      `${LLAMA3_FAILURES.interruptions} unexpected interruptions in ${LLAMA3_FAILURES.days} days of training on up to ${LLAMA3_FAILURES.gpus.toLocaleString('en-US')} H100s, about ${Math.round(hw * 100)}% of them confirmed or suspected hardware issues; with its own tooling it kept effective training time above 90%`,
    );
    expect(source('src/labs/cluster/meta.ts')).toContain(
      `on up to ${LLAMA3_FAILURES.gpus.toLocaleString('en-US')} GPUs`,
    );
  });
  it('10. no scenario or session says tensor parallelism is free', () => {
    const prose = [
      ...readdirSync(join(root, 'scenarios')).map((f) => readFileSync(join(root, 'scenarios', f), 'utf8')),
      JSON.stringify(SESSIONS),
    ].join('\n');
    expect(prose).not.toMatch(
      /(tensor[- ]parallel\w*|\bTP\b)[^.]{0,80}\b(free|ideal|no (extra )?(cost|communication))\b/i,
    );
    // The model no longer flatters a multi-GPU replica: its step pays the per-layer all-reduces
    // (held to the formula in test/sim/serving-tp.test.ts), and the provenance line names them.
    expect(source('src/sim/serving/models.ts')).not.toContain('flatters');
    const r = replicaFor('llama2-70b', 'a100-80');
    expect(r.tp).toBeGreaterThan(1);
    const work = { prefillTokens: 0, decodeTokens: 64, contextTokens: 64 * 1024, swapTokens: 0 };
    const { tensorParallel, ...free } = r.profile;
    expect(stepSeconds(work, r.profile) - stepSeconds(work, free)).toBeCloseTo(
      tpAllReduceSeconds(64, tensorParallel),
      12,
    );
    expect(tpAllReduceSeconds(64, tensorParallel)).toBeGreaterThan(0);
    expect(labSource('serving', 'params.ts')).toContain('2 all-reduces per layer');
  });
  it('11. zstd compresses about as well as gzip and decompresses several times faster (it does not sit between)', () => {
    for (const text of [labSource('data-formats'), scenario('data-formats-parquet-vs-csv').goodAnswer!.join('\n')]) {
      expect(text).not.toContain('sits between');
      expect(text).toMatch(/zstd[^.]*compresses about as well as gzip[^.]*decompresses several times faster/);
    }
  });
  it('12. the decode lab compares with onnxruntime-web MatMulNBits on demand, as the README says', () => {
    const row = readFileSync(join(root, 'README.md'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('| Decode |'))!;
    expect(row).toContain('on demand, the same int4 weights through onnxruntime-web MatMulNBits');
    // The lab renders the panel whose job runs the comparison (test/labs/decode-peer.test.ts runs it).
    expect(labSource('decode')).toContain('<PeerPanel params={params} job={jobs[PEER_JOB]} actions={actions} />');
    expect(labSource('decode', 'PeerPanel.tsx')).toContain('decodePeerJob(ctx, params)');
    expect(labSource('decode', 'peerJob.ts')).toContain('prepareOrtMatMulNBits(peer, x, M, toNBits(f.packed))');
  });
  it("13. GPT-3 XL's heads are our correction; gpu.cpp's shape in this lab's M×N×K order", () => {
    const xl = CLUSTER_MODELS.find((m) => m.id === 'gpt3-xl')!;
    expect(xl.hidden / xl.heads).toBe(128);
    expect(xl.source).toContain(
      'the table lists 24 heads of 128, which does not make 2048: our correction, 16 heads of 128',
    );
    expect(labSource('tiling')).toContain('887 GFLOP/s at M×N×K = 4096×8192×4096 in this lab’s order');
  });
});
