import { afterAll } from 'vitest';
import { GpuRuntime } from '../../src/gpu/runtime';

let shared: Promise<GpuRuntime> | undefined;

/** One runtime per test file, on Dawn (SwiftShader where no GPU is wanted), disposed after the file. */
export function testRuntime(): Promise<GpuRuntime> {
  if (!shared) {
    shared = GpuRuntime.create({ label: 'test' });
    afterAll(async () => {
      (await shared)?.dispose();
      shared = undefined;
    });
  }
  return shared;
}

/** Deterministic pseudo-random floats in [lo, hi), so failures reproduce. */
export function randomFloats(n: number, seed = 1, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  }
  return out;
}
