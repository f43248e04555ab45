import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import {
  createGeluBackward,
  createGeluForward,
  GELU_TOLERANCE,
  geluBackward,
  geluBackwardCost,
  geluForward,
} from '../../src/kernels/gelu';
import { prepareOp } from '../../src/kernels/op';
import { expectCountsEqualCost, expectSlot } from '../helpers/ops';
import { randomFloats, testRuntime } from '../helpers/gpu';

describe('GELU training kernels on Dawn', () => {
  // 7×37 = 259 elements: one more than a 256-wide workgroup's worth plus a partial row pattern.
  const d = { rows: 7, cols: 37 };
  const n = d.rows * d.cols;
  // z spans both GELU tails and the curved middle; |z| up to 12 passes the tanh clamp.
  const z = randomFloats(n, 1, -12, 12);
  const bias = randomFloats(d.cols, 2);
  const dy = randomFloats(n, 3);

  it('forward and backward with a bias match float64 and count exactly the modelled bytes', async () => {
    const rt = await testRuntime();
    const fwd = await prepareOp(
      rt,
      await createGeluForward(rt, d, { bias: true, instrumented: true }),
      { z, bias, y: n * 4 },
      'y',
    );
    const bwd = await prepareOp(
      rt,
      await createGeluBackward(rt, d, { bias: true, instrumented: true }),
      { z, bias, dy, dz: n * 4 },
      'dz',
    );
    try {
      await runSteps(rt.device, fwd.steps);
      await expectSlot(fwd, 'y', geluForward(z, bias, d.rows, d.cols), GELU_TOLERANCE);
      await expectCountsEqualCost(rt.device, fwd);
      await runSteps(rt.device, bwd.steps);
      await expectSlot(bwd, 'dz', geluBackward(z, bias, dy, d.rows, d.cols), GELU_TOLERANCE);
      await expectCountsEqualCost(rt.device, bwd);
    } finally {
      fwd.dispose();
      bwd.dispose();
    }
  });

  it('without a bias: no bias slot, one read fewer per element', async () => {
    const rt = await testRuntime();
    const op = await createGeluBackward(rt, d, { instrumented: true });
    expect(op.slots).toEqual(['z', 'dy', 'dz']);
    const bwd = await prepareOp(rt, op, { z, dy, dz: n * 4 }, 'dz');
    try {
      await runSteps(rt.device, bwd.steps);
      await expectSlot(bwd, 'dz', geluBackward(z, null, dy, d.rows, d.cols), GELU_TOLERANCE);
      await expectCountsEqualCost(rt.device, bwd);
      expect(geluBackwardCost(d, true).bytesRead - bwd.cost.bytesRead).toBe(n * 4);
    } finally {
      bwd.dispose();
    }
  });

  it('refuses empty shapes before compiling', async () => {
    const rt = await testRuntime();
    await expect(createGeluForward(rt, { rows: 0, cols: 4 })).rejects.toThrow(RangeError);
    await expect(
      createGeluBackward(rt, { rows: Math.floor(rt.device.limits.maxStorageBufferBindingSize / 16), cols: 8 }),
    ).rejects.toThrow(/binds at most/);
  });
});
