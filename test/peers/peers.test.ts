import { describe, expect, it } from 'vitest';
import { loadTfjs, tfjsEpilogue, tfjsMatmul } from '../../src/peers';
import { randomFloats } from '../helpers/gpu';

// Few quick samples: these tests check correctness and the timing protocol's shape, not speed.
const QUICK = { warmup: 1, samples: 3, minSampleMs: 1, maxRepeats: 4 };

function matmulRef(A: Float32Array, B: Float32Array, M: number, K: number, N: number): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[i * K + k] * B[k * N + j];
      C[i * N + j] = s;
    }
  return C;
}

function epilogueRef(x: Float32Array, bias: Float32Array, res: Float32Array, rows: number, hidden: number): Float64Array {
  const out = new Float64Array(rows * hidden);
  const k = Math.sqrt(2 / Math.PI);
  for (let r = 0; r < rows; r++)
    for (let h = 0; h < hidden; h++) {
      const i = r * hidden + h;
      const v = x[i] + bias[h];
      out[i] = 0.5 * v * (1 + Math.tanh(k * (v + 0.044715 * v * v * v))) + res[i];
    }
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function expectTimingShape(t: { medianMs: number; samplesMs: number[]; timing: string; spreadMs: number }, samples: number) {
  expect(t.samplesMs).toHaveLength(samples);
  expect(t.medianMs).toBeGreaterThan(0);
  expect(Number.isFinite(t.spreadMs)).toBe(true);
  expect(['timestamp', 'wallclock']).toContain(t.timing);
}

describe('tfjs peer (WebGPU backend on Dawn)', () => {
  it('matMul 64x48x80 equals the float64 reference', async () => {
    const peer = await loadTfjs();
    expect(peer.device).toBeTruthy();
    const [M, K, N] = [64, 48, 80];
    const A = randomFloats(M * K, 1);
    const B = randomFloats(K * N, 2);
    const tensorsBefore = peer.tf.memory().numTensors;
    const { output, timing } = await tfjsMatmul(peer, A, B, M, K, N, QUICK);
    // Inputs, scalars and every run's output are freed: a bench looping over sizes must not leak.
    expect(peer.tf.memory().numTensors).toBe(tensorsBefore);
    expect(maxAbsDiff(output, matmulRef(A, B, M, K, N))).toBeLessThan(1e-4);
    expectTimingShape(timing, 3);
  });

  it('epilogue 4x256 equals gelu_tanh(x + bias) + residual, both timing paths', async () => {
    const peer = await loadTfjs();
    const [rows, hidden] = [4, 256];
    // Range wide enough to reach tanh's saturated tails and negative cubes.
    const x = randomFloats(rows * hidden, 3, -6, 6);
    const bias = randomFloats(hidden, 4);
    const res = randomFloats(rows * hidden, 5);
    const ref = epilogueRef(x, bias, res, rows, hidden);
    const stamped = await tfjsEpilogue(peer, x, bias, res, rows, hidden, QUICK);
    expect(maxAbsDiff(stamped.output, ref)).toBeLessThan(1e-4);
    expectTimingShape(stamped.timing, 3);
    const wall = await tfjsEpilogue(peer, x, bias, res, rows, hidden, { ...QUICK, forceWallclock: true });
    expect(wall.timing.timing).toBe('wallclock');
    expect(maxAbsDiff(wall.output, ref)).toBeLessThan(1e-4);
  });

  it('refuses mismatched input lengths and bad sizes with a clear message', async () => {
    const peer = await loadTfjs();
    await expect(tfjsMatmul(peer, new Float32Array(6), new Float32Array(6), 2, 3, 3)).rejects.toThrow(/B has 6 elements, expected 9/);
    await expect(tfjsMatmul(peer, new Float32Array(0), new Float32Array(0), 0, 3, 3)).rejects.toThrow(/M must be a positive integer/);
    await expect(tfjsEpilogue(peer, new Float32Array(8), new Float32Array(4), new Float32Array(8), 2, 4.5)).rejects.toThrow(
      /hidden must be a positive integer/,
    );
  });
});
