/**
 * The mini-cluster's model and data, as pure code: a 2-layer MLP (2 → hidden → classes, ReLU,
 * softmax cross-entropy) trained on a seeded k-arm spiral (the classic CS231n toy problem), with
 * SGD or Adam. Every rank of the browser mini-cluster runs exactly these functions, so tests can
 * check the workers against this file without starting any.
 *
 * Data order is a function of the GLOBAL batch index only: the data stream is the concatenation
 * of per-epoch permutations (each seeded by (seed, epoch)), global batch t is stream positions
 * [t·B, (t+1)·B), and rank r of N takes the contiguous slice [⌊rB/N⌋, ⌊(r+1)B/N⌋) of it. So N ranks,
 * N−1 ranks after an elastic restart, or one rank all see the same global batches; the data
 * position a checkpoint needs is just the step.
 */
import { mulberry32 } from '../../kernels/random';

export type Optimizer = 'sgd' | 'adam';

export interface TrainConfig {
  /** Seeds the dataset, the permutations and the initial weights. */
  seed: number;
  /** Dataset size (samples, split evenly over the spiral's arms). */
  samples: number;
  /** Spiral arms = classes. */
  classes: number;
  /** Hidden layer width. */
  hidden: number;
  /** Global batch size: samples per step over all ranks together. */
  batch: number;
  /** Steps to train. */
  steps: number;
  optimizer: Optimizer;
  lr: number;
}

export const INPUTS = 2;

export const DEFAULT_TRAIN: TrainConfig = {
  seed: 7,
  samples: 600,
  classes: 3,
  hidden: 64,
  batch: 48,
  steps: 240,
  optimizer: 'adam',
  lr: 0.01,
};

/** Bounds the panel and the workers accept; checkTrainConfig names the first value outside them. */
export const TRAIN_LIMITS = {
  samples: [30, 100_000],
  classes: [2, 8],
  hidden: [2, 1024],
  batch: [1, 4096],
  steps: [1, 100_000],
  lr: [1e-6, 10],
} as const;

export function checkTrainConfig(c: TrainConfig): void {
  for (const [key, [lo, hi]] of Object.entries(TRAIN_LIMITS) as [
    keyof typeof TRAIN_LIMITS,
    readonly [number, number],
  ][]) {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi)
      throw new RangeError(`${key} must be between ${lo} and ${hi}, got ${v}.`);
    if (key !== 'lr' && !Number.isInteger(v)) throw new RangeError(`${key} must be a whole number, got ${v}.`);
  }
  if (c.optimizer !== 'sgd' && c.optimizer !== 'adam')
    throw new RangeError(`optimizer must be sgd or adam, got ${String(c.optimizer)}.`);
  if (!Number.isInteger(c.seed)) throw new RangeError(`seed must be a whole number, got ${c.seed}.`);
}

/** Parameters of the MLP: W1 (h×2) + b1 (h) + W2 (k×h) + b2 (k). */
export function paramCount(c: Pick<TrainConfig, 'hidden' | 'classes'>): number {
  return c.hidden * INPUTS + c.hidden + c.classes * c.hidden + c.classes;
}

/** Offsets of each tensor in the flat parameter (and gradient) vector. */
export function layout(c: Pick<TrainConfig, 'hidden' | 'classes'>) {
  const w1 = 0;
  const b1 = w1 + c.hidden * INPUTS;
  const w2 = b1 + c.hidden;
  const b2 = w2 + c.classes * c.hidden;
  return { w1, b1, w2, b2, total: b2 + c.classes };
}

export interface Dataset {
  /** samples × 2, row-major. */
  x: Float32Array;
  y: Int32Array;
  n: number;
}

const datasets = new Map<string, Dataset>();

/** The k-arm spiral: arm j, radius r ∈ [0, 1), angle 4r + 2πj/k plus Gaussian-ish noise. */
export function makeDataset(c: Pick<TrainConfig, 'seed' | 'samples' | 'classes'>): Dataset {
  const key = `${c.seed}/${c.samples}/${c.classes}`;
  const hit = datasets.get(key);
  if (hit) return hit;
  const rnd = mulberry32(c.seed ^ 0x5bd1e995);
  const n = c.samples;
  const x = new Float32Array(n * INPUTS);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const arm = i % c.classes;
    const r = (Math.floor(i / c.classes) + 0.5) / Math.ceil(n / c.classes);
    // Sum of three uniforms: a cheap bell-shaped noise, the same on every platform.
    const noise = (rnd() + rnd() + rnd() - 1.5) * 0.35;
    const t = arm * ((2 * Math.PI) / c.classes) + r * 4 + noise * r;
    x[i * 2] = r * Math.sin(t);
    x[i * 2 + 1] = r * Math.cos(t);
    y[i] = arm;
  }
  const d = { x, y, n };
  if (datasets.size > 8) datasets.clear();
  datasets.set(key, d);
  return d;
}

const perms = new Map<string, Int32Array>();

/** The permutation of sample ids for one epoch: Fisher–Yates seeded by (seed, epoch). */
export function epochPermutation(seed: number, samples: number, epoch: number): Int32Array {
  const key = `${seed}/${samples}/${epoch}`;
  const hit = perms.get(key);
  if (hit) return hit;
  const p = new Int32Array(samples);
  for (let i = 0; i < samples; i++) p[i] = i;
  const rnd = mulberry32((seed * 0x9e3779b1 + epoch * 0x85ebca6b) >>> 0);
  for (let i = samples - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  if (perms.size > 16) perms.clear();
  perms.set(key, p);
  return p;
}

/** Sample ids of global batch `step`: stream positions step·B … step·B + B − 1. */
export function globalBatch(c: Pick<TrainConfig, 'seed' | 'samples' | 'batch'>, step: number): Int32Array {
  const ids = new Int32Array(c.batch);
  for (let i = 0; i < c.batch; i++) {
    const pos = step * c.batch + i;
    const epoch = Math.floor(pos / c.samples);
    ids[i] = epochPermutation(c.seed, c.samples, epoch)[pos - epoch * c.samples];
  }
  return ids;
}

/** Rank r's contiguous slice [lo, hi) of a global batch of B samples over N ranks. */
export function shardRange(batch: number, world: number, rank: number): [number, number] {
  return [Math.floor((rank * batch) / world), Math.floor(((rank + 1) * batch) / world)];
}

/** The sample ids rank `rank` of `world` trains on at global step `step`. */
export function rankBatch(
  c: Pick<TrainConfig, 'seed' | 'samples' | 'batch'>,
  step: number,
  world: number,
  rank: number,
): Int32Array {
  const [lo, hi] = shardRange(c.batch, world, rank);
  return globalBatch(c, step).slice(lo, hi);
}

/** Weights, optimizer state and position: everything a checkpoint must hold to resume exactly. */
export interface TrainState {
  /** Steps completed = index of the next global batch (the data position). */
  step: number;
  params: Float32Array;
  /** Adam's first and second moments (SGD: momentum in m, v unused and zero). */
  m: Float32Array;
  v: Float32Array;
}

/** Glorot-uniform weights, zero biases, zero optimizer state, step 0. */
export function initState(c: TrainConfig): TrainState {
  const L = layout(c);
  const params = new Float32Array(L.total);
  const rnd = mulberry32(c.seed ^ 0x27d4eb2f);
  const a1 = Math.sqrt(6 / (INPUTS + c.hidden));
  for (let i = L.w1; i < L.b1; i++) params[i] = (rnd() * 2 - 1) * a1;
  const a2 = Math.sqrt(6 / (c.hidden + c.classes));
  for (let i = L.w2; i < L.b2; i++) params[i] = (rnd() * 2 - 1) * a2;
  return { step: 0, params, m: new Float32Array(L.total), v: new Float32Array(L.total) };
}

export function cloneState(s: TrainState): TrainState {
  return { step: s.step, params: s.params.slice(), m: s.m.slice(), v: s.v.slice() };
}

export interface LocalGradient {
  /** Sum (not mean) of per-sample gradients over this shard, accumulated in float64, stored as float32. */
  grad: Float32Array;
  /** Sum of per-sample cross-entropy losses (float64). */
  lossSum: number;
  samples: number;
}

/**
 * Forward and backward over the given samples. Sums rather than means: the all-reduce adds the
 * ranks' sums and the optimizer divides once by the global batch, so the result does not depend
 * on how the batch was split (up to float rounding).
 */
export function localGradient(c: TrainConfig, params: Float32Array, ids: ArrayLike<number>): LocalGradient {
  const { hidden: h, classes: k } = c;
  const L = layout(c);
  const data = makeDataset(c);
  const g = new Float64Array(L.total);
  const z1 = new Float64Array(h);
  const a = new Float64Array(h);
  const p = new Float64Array(k);
  const da = new Float64Array(h);
  let lossSum = 0;
  for (let s = 0; s < ids.length; s++) {
    const id = ids[s];
    const x0 = data.x[id * 2];
    const x1 = data.x[id * 2 + 1];
    const label = data.y[id];
    for (let j = 0; j < h; j++) {
      const z = params[L.w1 + j * 2] * x0 + params[L.w1 + j * 2 + 1] * x1 + params[L.b1 + j];
      z1[j] = z;
      a[j] = z > 0 ? z : 0;
    }
    let max = -Infinity;
    for (let o = 0; o < k; o++) {
      let z = params[L.b2 + o];
      const row = L.w2 + o * h;
      for (let j = 0; j < h; j++) z += params[row + j] * a[j];
      p[o] = z;
      if (z > max) max = z;
    }
    let sum = 0;
    for (let o = 0; o < k; o++) {
      p[o] = Math.exp(p[o] - max);
      sum += p[o];
    }
    for (let o = 0; o < k; o++) p[o] /= sum;
    lossSum += -Math.log(Math.max(p[label], 1e-300));
    // Backward: dL/dz2 = softmax − onehot.
    da.fill(0);
    for (let o = 0; o < k; o++) {
      const d = p[o] - (o === label ? 1 : 0);
      g[L.b2 + o] += d;
      const row = L.w2 + o * h;
      for (let j = 0; j < h; j++) {
        g[row + j] += d * a[j];
        da[j] += d * params[row + j];
      }
    }
    for (let j = 0; j < h; j++) {
      if (z1[j] <= 0) continue;
      const d = da[j];
      g[L.w1 + j * 2] += d * x0;
      g[L.w1 + j * 2 + 1] += d * x1;
      g[L.b1 + j] += d;
    }
  }
  return { grad: Float32Array.from(g), lossSum, samples: ids.length };
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;
const MOMENTUM = 0.9;

/**
 * One optimizer step from the all-reduced gradient SUM over the global batch (divided here by
 * the batch size). Mutates and returns `state` with step + 1. Every rank applies the same update
 * to its replica, as DDP does, so replicas stay bit-identical.
 */
export function applyUpdate(c: TrainConfig, state: TrainState, gradSum: Float32Array): TrainState {
  const { params, m, v } = state;
  const inv = 1 / c.batch;
  const t = state.step + 1;
  if (c.optimizer === 'adam') {
    const bc1 = 1 - BETA1 ** t;
    const bc2 = 1 - BETA2 ** t;
    for (let i = 0; i < params.length; i++) {
      const g = gradSum[i] * inv;
      m[i] = BETA1 * m[i] + (1 - BETA1) * g;
      v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
      params[i] -= (c.lr * (m[i] / bc1)) / (Math.sqrt(v[i] / bc2) + EPS);
    }
  } else {
    for (let i = 0; i < params.length; i++) {
      m[i] = MOMENTUM * m[i] + gradSum[i] * inv;
      params[i] -= c.lr * m[i];
    }
  }
  state.step = t;
  return state;
}

/** Mean cross-entropy of the weights over the whole dataset: the "final loss" runs are compared by. */
export function evalLoss(c: TrainConfig, params: Float32Array): number {
  const ids = new Int32Array(c.samples);
  for (let i = 0; i < c.samples; i++) ids[i] = i;
  return localGradient(c, params, ids).lossSum / c.samples;
}

/** Fraction of the dataset classified correctly. */
export function accuracy(c: TrainConfig, params: Float32Array): number {
  const { hidden: h, classes: k } = c;
  const L = layout(c);
  const data = makeDataset(c);
  let right = 0;
  for (let i = 0; i < data.n; i++) {
    let best = -Infinity;
    let arg = -1;
    for (let o = 0; o < k; o++) {
      let z = params[L.b2 + o];
      for (let j = 0; j < h; j++) {
        const zj =
          params[L.w1 + j * 2] * data.x[i * 2] + params[L.w1 + j * 2 + 1] * data.x[i * 2 + 1] + params[L.b1 + j];
        if (zj > 0) z += params[L.w2 + o * h + j] * zj;
      }
      if (z > best) {
        best = z;
        arg = o;
      }
    }
    if (arg === data.y[i]) right++;
  }
  return right / data.n;
}
