import { describe, expect, it } from 'vitest';
import {
  loadOrt,
  loadTfjs,
  ortAttention,
  ortMatmul,
  prepareOrtAttention,
  prepareOrtMatmul,
  tfjsEpilogue,
  tfjsMatmul,
} from '../../src/peers';
import { LOOP_VAR_GATE, loopVarProbe, narrowSubgroupGate, ORT_MIN_SUBGROUP_SIZE } from '../../src/peers/ortGate';
import { randomFloats, testRuntime } from '../helpers/gpu';
import { attentionRef, epilogueRef, matmulRef } from './references';

// Few quick samples: these tests check correctness and the timing protocol's shape, not speed.
const QUICK = { warmup: 1, samples: 3, minSampleMs: 1, maxRepeats: 4 };

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function expectTimingShape(
  t: { medianMs: number; samplesMs: number[]; timing: string; spreadMs: number },
  samples: number,
) {
  expect(t.samplesMs).toHaveLength(samples);
  expect(t.medianMs).toBeGreaterThan(0);
  expect(Number.isFinite(t.spreadMs)).toBe(true);
  expect(['timestamp', 'wallclock']).toContain(t.timing);
}

// ORT goes first: in Node, importing tfjs after ORT's wasm was compiled once stalled the process.
// ORT compiles its WGSL per shape on SwiftShader, which took 10-30 s per attention session on a
// busy two-core machine; lavapipe compiles each at first use with LLVM too.
describe('onnxruntime-web peer (WebGPU EP on Dawn)', { timeout: 240_000 }, () => {
  it('MatMul 64x48x80 equals the float64 reference', async () => {
    const peer = await loadOrt();
    expect(peer.device).toBeTruthy();
    const [M, K, N] = [64, 48, 80];
    const A = randomFloats(M * K, 6);
    const B = randomFloats(K * N, 7);
    const { output, timing } = await ortMatmul(peer, A, B, M, K, N, QUICK);
    expect(maxAbsDiff(output, matmulRef(A, B, M, K, N))).toBeLessThan(1e-4);
    expectTimingShape(timing, 3);
    // GPU timestamps around ORT's own compute passes where its device has timestamp queries.
    expect(timing.timing).toBe(peer.device.features.has('timestamp-query') ? 'timestamp' : 'wallclock');
    const op = await prepareOrtMatmul(peer, A, B, M, K, N);
    try {
      expect((await op.time({ ...QUICK, forceWallclock: true })).timing).toBe('wallclock');
    } finally {
      op.dispose();
    }
  });

  for (const causal of [false, true]) {
    it(`attention BH=2 N=64 d=8 ${causal ? 'causal (GroupQueryAttention)' : 'non-causal (MultiHeadAttention)'} equals the reference`, async () => {
      const peer = await loadOrt();
      // d = 8: ORT's portable FlashAttention shader took 60-90 s to compile on lavapipe at d = 8
      // (busy machine) and over 240 s at d = 32; its work grows with d (issue #28).
      const [BH, N, d] = [2, 64, 8];
      // Logits up to ~±11: a softmax that forgot to subtract the row max would still pass, but
      // a wrong scale or a mask in the wrong place moves the output far beyond the tolerance.
      const Q = randomFloats(BH * N * d, 8, -2, 2);
      const K = randomFloats(BH * N * d, 9, -2, 2);
      const V = randomFloats(BH * N * d, 10);
      const { output, timing } = await ortAttention(peer, Q, K, V, BH, N, d, causal, QUICK);
      const ref = attentionRef(Q, K, V, BH, N, d, causal);
      expect(maxAbsDiff(output, ref)).toBeLessThan(1e-4);
      // The masked and unmasked answers differ, so this test tells them apart.
      expect(maxAbsDiff(ref, attentionRef(Q, K, V, BH, N, d, !causal))).toBeGreaterThan(1e-2);
      expectTimingShape(timing, 3);
    });
  }

  it('runs without subgroups exactly where its attention is wrong with them, and its rows say why', async () => {
    const peer = await loadOrt();
    const rt = await testRuntime();
    const width = rt.info.subgroupSizes?.min;
    // ortGate.ts; test/peers/ort-subgroups.test.ts reproduces both reasons.
    const expected = !rt.info.features.includes('subgroups')
      ? null
      : width !== undefined && width < ORT_MIN_SUBGROUP_SIZE
        ? narrowSubgroupGate(width)
        : (await loopVarProbe(rt.device)) !== 4
          ? LOOP_VAR_GATE
          : null;
    expect(peer.subgroupsOff).toEqual(expected);
    expect(peer.device.features.has('subgroups')).toBe(rt.info.features.includes('subgroups') && !expected);
    const x = randomFloats(1 * 16 * 8, 3);
    const op = await prepareOrtAttention(peer, x, x, x, 1, 16, 8, false);
    try {
      expect(op.label).toBe(`ORT MultiHeadAttention${expected ? `, ${expected.short}` : ''}`);
    } finally {
      op.dispose();
    }
  });

  it('refuses a causal head size GroupQueryAttention cannot run, and bad lengths', async () => {
    const peer = await loadOrt();
    const x = new Float32Array(2 * 4 * 12);
    await expect(ortAttention(peer, x, x, x, 2, 4, 12, true)).rejects.toThrow(/multiple of 8/);
    await expect(ortMatmul(peer, new Float32Array(5), new Float32Array(6), 2, 3, 2)).rejects.toThrow(
      /A has 5 elements, expected 6/,
    );
  });
});

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
    await expect(tfjsMatmul(peer, new Float32Array(6), new Float32Array(6), 2, 3, 3)).rejects.toThrow(
      /B has 6 elements, expected 9/,
    );
    await expect(tfjsMatmul(peer, new Float32Array(0), new Float32Array(0), 0, 3, 3)).rejects.toThrow(
      /M must be a positive integer/,
    );
    await expect(
      tfjsEpilogue(peer, new Float32Array(8), new Float32Array(4), new Float32Array(8), 2, 4.5),
    ).rejects.toThrow(/hidden must be a positive integer/);
  });
});
