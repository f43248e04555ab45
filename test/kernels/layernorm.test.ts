import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import { LimitError } from '../../src/gpu/errors';
import {
  checkLayerNorm,
  createLayerNormBackward,
  createLayerNormForward,
  LAYERNORM_TOLERANCE,
  layerNormBackward,
  layerNormBackwardCost,
  layerNormForward,
} from '../../src/kernels/layernorm';
import { prepareOp } from '../../src/kernels/op';
import { expectCountsEqualCost, expectSlot, slotBits } from '../helpers/ops';
import { randomFloats, testRuntime } from '../helpers/gpu';

// Ragged: columns below, between and above multiples of the 64-wide workgroup; more rows than one
// 64-row chunk of the parameter kernel.
const SHAPES = [
  { rows: 5, cols: 37 },
  { rows: 3, cols: 130 },
  { rows: 70, cols: 8 },
];

describe('LayerNorm kernels on Dawn', () => {
  for (const d of SHAPES) {
    it(`forward and backward ${d.rows}×${d.cols}: match float64, count exactly the modelled bytes, deterministic`, async () => {
      const rt = await testRuntime();
      const n = d.rows * d.cols;
      // An offset and scale per row, so the mean and variance are far from 0 and 1.
      const x = randomFloats(n, 1, -3, 5);
      const gamma = randomFloats(d.cols, 2, 0.5, 1.5);
      const beta = randomFloats(d.cols, 3);
      const dy = randomFloats(n, 4);
      const want = layerNormForward(x, gamma, beta, d.rows, d.cols);
      const fwd = await prepareOp(
        rt,
        await createLayerNormForward(rt, d, { instrumented: true }),
        { x, gamma, beta, y: n * 4, mean: d.rows * 4, rstd: d.rows * 4 },
        'y',
      );
      try {
        await runSteps(rt.device, fwd.steps);
        await expectSlot(fwd, 'y', want.y, LAYERNORM_TOLERANCE);
        await expectSlot(fwd, 'mean', want.mean, LAYERNORM_TOLERANCE);
        const rstd = await expectSlot(fwd, 'rstd', want.rstd, LAYERNORM_TOLERANCE);
        await expectCountsEqualCost(rt.device, fwd);
        const wantB = layerNormBackward(dy, x, gamma, want.mean, want.rstd, d.rows, d.cols);
        const mean = await fwd.readSlot('mean');
        const bwd = await prepareOp(
          rt,
          await createLayerNormBackward(rt, d, { instrumented: true }),
          { dy, x, gamma, mean, rstd, dx: n * 4, dgamma: d.cols * 4, dbeta: d.cols * 4 },
          'dx',
        );
        try {
          await runSteps(rt.device, bwd.steps);
          await expectSlot(bwd, 'dx', wantB.dx, LAYERNORM_TOLERANCE);
          await expectSlot(bwd, 'dgamma', wantB.dgamma, LAYERNORM_TOLERANCE);
          await expectSlot(bwd, 'dbeta', wantB.dbeta, LAYERNORM_TOLERANCE);
          await expectCountsEqualCost(rt.device, bwd);
          expect(await slotBits(rt.device, bwd, 'dgamma')).toEqual(await slotBits(rt.device, bwd, 'dgamma'));
        } finally {
          bwd.dispose();
        }
      } finally {
        fwd.dispose();
      }
    });
  }

  it('backward with accumulate adds dx to what the buffer holds (the residual gradient)', async () => {
    const rt = await testRuntime();
    const d = { rows: 6, cols: 37 };
    const n = d.rows * d.cols;
    const x = randomFloats(n, 11, -2, 2);
    const gamma = randomFloats(d.cols, 12);
    const dy = randomFloats(n, 13);
    const prior = randomFloats(n, 14);
    const f = layerNormForward(x, gamma, new Float32Array(d.cols), d.rows, d.cols);
    const want = layerNormBackward(dy, x, gamma, f.mean, f.rstd, d.rows, d.cols);
    const op = await createLayerNormBackward(rt, d, { instrumented: true, accumulate: true });
    const k = await prepareOp(
      rt,
      op,
      {
        dy,
        x,
        gamma,
        mean: Float32Array.from(f.mean),
        rstd: Float32Array.from(f.rstd),
        dx: prior,
        dgamma: d.cols * 4,
        dbeta: d.cols * 4,
      },
      'dx',
    );
    try {
      await runSteps(rt.device, k.steps);
      await expectSlot(
        k,
        'dx',
        want.dx.map((v, i) => v + prior[i]),
        LAYERNORM_TOLERANCE,
      );
      k.write('dx', prior);
      await expectCountsEqualCost(rt.device, k);
      expect(k.cost.bytesRead - layerNormBackwardCost(d).total.bytesRead).toBe(n * 4);
    } finally {
      k.dispose();
    }
  });

  it('the timing build computes the same and counts nothing', async () => {
    const rt = await testRuntime();
    const d = { rows: 4, cols: 20 };
    const x = randomFloats(80, 5);
    const k = await prepareOp(
      rt,
      await createLayerNormForward(rt, d),
      { x, gamma: new Float32Array(20).fill(1), beta: 80, y: 320, mean: 16, rstd: 16 },
      'y',
    );
    try {
      await runSteps(rt.device, k.steps);
      await expectSlot(
        k,
        'y',
        layerNormForward(x, new Float32Array(20).fill(1), new Float32Array(20), 4, 20).y,
        LAYERNORM_TOLERANCE,
      );
      expect(await k.counters.read()).toEqual({ bytesRead: 0, bytesWritten: 0 });
    } finally {
      k.dispose();
    }
  });

  it('refuses rows too wide for workgroup memory, and zero or fractional sizes, before compiling', async () => {
    const rt = await testRuntime();
    const wide = Math.floor(rt.device.limits.maxComputeWorkgroupStorageSize / 4);
    await expect(createLayerNormForward(rt, { rows: 2, cols: wide })).rejects.toThrow(LimitError);
    await expect(createLayerNormBackward(rt, { rows: 2, cols: wide / 2 })).rejects.toThrow(/workgroup memory/);
    expect(() => checkLayerNorm({ rows: 0, cols: 8 }, rt.device.limits, 'forward')).toThrow(RangeError);
    expect(() => checkLayerNorm({ rows: 2, cols: 1.5 }, rt.device.limits, 'forward')).toThrow(/whole number/);
    // 70 rows: two chunks of partials (pass 1), then each partial pair summed (2 × 2 chunks × 8 columns).
    expect(layerNormBackwardCost({ rows: 70, cols: 8 }).params.bytesRead).toBe((2 * 70 * 8 + 2 * 70 + 2 * 2 * 8) * 4);
  });
});
