/** CPU versions of the ceiling kernels, in float32 arithmetic (Math.fround) to match the GPU. */
export function copyReference(src: Float32Array): Float32Array {
  return src.slice();
}

export function fmaReference(data: Float32Array, iterations: number): Float32Array {
  const out = new Float32Array(data.length);
  const m = Math.fround(0.999);
  const c = Math.fround(0.001);
  for (let i = 0; i < data.length; i++) {
    let a = data[i];
    let b = Math.fround(a + 0.5);
    for (let k = 0; k < iterations; k++) {
      a = Math.fround(a * m + c);
      b = Math.fround(b * m + c);
    }
    out[i] = Math.fround(a + b);
  }
  return out;
}

/** The value every FMA chain starts from when no input is given (prepareFma's default). */
export const FMA_FILL = 0.25;

/**
 * Copy input for the checked ceilings run: a cheap deterministic pattern (no RNG over 64 MiB), in
 * which every vec4 differs from its neighbours, so a misplaced or skipped vec4 shows.
 */
export function copyPattern(floats: number): Float32Array {
  const out = new Float32Array(Math.ceil(floats / 4) * 4);
  for (let i = 0; i < out.length; i++) out[i] = (i % 8191) - 4095.5;
  return out;
}

/** Tolerances of the one check metric (src/kernels/check.ts): a copy is exact; FMA chains may round once or twice per step. */
export const COPY_TOLERANCE = 0;
export const FMA_TOLERANCE = 1e-5;
