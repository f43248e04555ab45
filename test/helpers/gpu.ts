import { afterAll } from 'vitest';
import { GpuRuntime } from '../../src/gpu/runtime';
import { seededFloats } from '../../src/kernels/random';

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
export const randomFloats = (n: number, seed = 1, lo = -1, hi = 1): Float32Array => seededFloats(n, seed, lo, hi);
