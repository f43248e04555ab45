import { geluRef } from '../../kernels/activation/reference';
import { matmulReference } from '../../kernels/matmul/reference';
import type { Scope } from './check/expr';

// Matmul and GELU come from the project's kernels; attention here has a query block shorter than
// the keys (the attention lab's reference is square) and the gather has one sequence (the KV-cache
// lab's works on whole decode batches), so those two are written here.
export type Buffers = Record<string, Float32Array | Uint32Array>;
/** A CPU reference: the hidden inputs and the case's sizes in, the expected output out. */
export type Reference = (inputs: Buffers, d: Scope) => Float32Array;

function f32(xs: Buffers, name: string): Float32Array {
  const v = xs[name];
  if (!(v instanceof Float32Array)) throw new Error(`reference needs f32 input ${name}`);
  return v;
}

function u32(xs: Buffers, name: string): Uint32Array {
  const v = xs[name];
  if (!(v instanceof Uint32Array)) throw new Error(`reference needs u32 input ${name}`);
  return v;
}

/** y = gelu(x + bias[col]) with the activation lab's GELU (tanh form, float32 steps as the GPU rounds). */
function biasGelu(xs: Buffers, d: Scope): Float32Array {
  const x = f32(xs, 'x');
  const bias = f32(xs, 'bias');
  const out = new Float32Array(d.rows * d.cols);
  for (let i = 0; i < out.length; i++) out[i] = geluRef(Math.fround(x[i] + bias[i % d.cols]));
  return out;
}

/** Numerically stable softmax of each row: subtract the row max before exp. */
function rowSoftmax(xs: Buffers, d: Scope): Float32Array {
  const x = f32(xs, 'x');
  const { rows, cols } = d;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, x[r * cols + c]);
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(x[r * cols + c] - m);
    for (let c = 0; c < cols; c++) out[r * cols + c] = Math.exp(x[r * cols + c] - m) / s;
  }
  return out;
}

function matmul(xs: Buffers, d: Scope): Float32Array {
  return matmulReference(f32(xs, 'a'), f32(xs, 'b'), { M: d.M, N: d.N, K: d.K });
}

/** O = softmax(Q·Kᵀ/√D)·V for a block of queries against all keys (no mask), in float64. */
function attention(xs: Buffers, d: Scope): Float32Array {
  const q = f32(xs, 'q');
  const k = f32(xs, 'k');
  const v = f32(xs, 'v');
  const { Lq, Lk, D } = d;
  const scale = 1 / Math.sqrt(D);
  const out = new Float32Array(Lq * D);
  const s = new Float64Array(Lk);
  for (let i = 0; i < Lq; i++) {
    let m = -Infinity;
    for (let j = 0; j < Lk; j++) {
      let acc = 0;
      for (let c = 0; c < D; c++) acc += q[i * D + c] * k[j * D + c];
      s[j] = acc * scale;
      m = Math.max(m, s[j]);
    }
    let l = 0;
    for (let j = 0; j < Lk; j++) l += s[j] = Math.exp(s[j] - m);
    for (let c = 0; c < D; c++) {
      let acc = 0;
      for (let j = 0; j < Lk; j++) acc += s[j] * v[j * D + c];
      out[i * D + c] = acc / l;
    }
  }
  return out;
}

/** out[t, c] = pool[block_table[t / PAGE], t % PAGE, c]: a sequence's keys gathered from its pages. */
function pagedGather(xs: Buffers, d: Scope): Float32Array {
  const pool = f32(xs, 'pool');
  const table = u32(xs, 'block_table');
  const { len, D, PAGE } = d;
  const out = new Float32Array(len * D);
  for (let t = 0; t < len; t++) {
    const page = table[Math.floor(t / PAGE)];
    for (let c = 0; c < D; c++) out[t * D + c] = pool[(page * PAGE + (t % PAGE)) * D + c];
  }
  return out;
}

export const REFERENCES: Record<string, Reference> = {
  'bias-gelu': biasGelu,
  'row-softmax': rowSoftmax,
  matmul,
  attention,
  'paged-gather': pagedGather,
};
