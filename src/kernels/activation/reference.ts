/**
 * CPU reference of the epilogue, in float32 arithmetic (Math.fround after each step, as the GPU
 * rounds), and the deterministic inputs the kernels run on. Inputs are a hash of (seed, stream,
 * index), so a chunk of any size can be generated, uploaded or checked without holding the whole
 * tensor in JavaScript memory: 64 M elements would be 256 MiB per array.
 */
const f = Math.fround;
const GELU_K = f(Math.sqrt(2 / Math.PI));
const GELU_C = f(0.044715);

export function geluRef(v: number): number {
  const v3 = f(f(v * v) * v);
  const u = Math.min(10, Math.max(-10, f(GELU_K * f(v + f(GELU_C * v3)))));
  return f(f(f(0.5) * v) * f(1 + f(Math.tanh(u))));
}

export function epilogueRef(x: number, bias: number, residual: number): number {
  return f(geluRef(f(x + bias)) + residual);
}

/** out[i] = gelu(x[i] + bias[i % h]) + residual[i]. */
export function activationReference(
  x: Float32Array,
  bias: Float32Array,
  residual: Float32Array,
  h: number,
): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = epilogueRef(x[i], bias[i % h], residual[i]);
  return out;
}

function mix(v: number): number {
  // A 32-bit integer finaliser (xor-shift-multiply): neighbouring indices give unrelated bits.
  v = Math.imul(v ^ (v >>> 16), 0x7feb352d);
  v = Math.imul(v ^ (v >>> 15), 0x846ca68b);
  return (v ^ (v >>> 16)) >>> 0;
}

export type InputStream = 'x' | 'bias' | 'residual';
/** x spans [-4, 4) so GELU's curved middle and both linear tails all get exercised. */
const SCALE: Record<InputStream, number> = { x: 4, bias: 1, residual: 1 };
const STREAM_ID: Record<InputStream, number> = { x: 1, bias: 2, residual: 3 };

/** Fills `out` with elements [start, start + out.length) of an input stream. */
export function fillInput<T extends Float32Array>(stream: InputStream, seed: number, start: number, out: T): T {
  const key = mix((seed >>> 0) ^ Math.imul(STREAM_ID[stream], 0x9e3779b9));
  const s = SCALE[stream];
  for (let k = 0; k < out.length; k++) out[k] = (mix((start + k) ^ key) / 2 ** 31 - 1) * s;
  return out;
}

export function inputArray(stream: InputStream, seed: number, n: number): Float32Array<ArrayBuffer> {
  return fillInput(stream, seed, 0, new Float32Array(n));
}

/** Reference outputs for elements [start, start + length), without materialising whole inputs. */
export function chunkReference(start: number, length: number, h: number, seed: number): Float32Array {
  const x = fillInput('x', seed, start, new Float32Array(length));
  const r = fillInput('residual', seed, start, new Float32Array(length));
  const bias = inputArray('bias', seed, h);
  for (let k = 0; k < length; k++) x[k] = epilogueRef(x[k], bias[(start + k) % h], r[k]);
  return x;
}

/**
 * Tolerance of the one check metric (max |error| / max |reference|, src/kernels/check.ts): the
 * kernels evaluate the same tanh GELU in float32 as the reference does in float64, a few ulps
 * apart; 1e-5 of the largest output leaves room for the GPU's exp/tanh approximations.
 */
export const ACTIVATION_TOLERANCE = 1e-5;
