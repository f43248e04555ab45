import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import { LimitError } from '../../src/gpu/errors';
import {
  createAddBias,
  createBiasGrad,
  createLinearBackward,
  createMatmulOp,
  LINEAR_TOLERANCE,
  linearBackward,
  linearBackwardCost,
  linearBiasGrad,
  linearForward,
  matmul64,
} from '../../src/kernels/linear';
import { matmulCost } from '../../src/kernels/matmul';
import { prepareOp } from '../../src/kernels/op';
import { expectCountsEqualCost, expectSlot, slotBits } from '../helpers/ops';
import { randomFloats, testRuntime } from '../helpers/gpu';

// Ragged against the 64×64 tile and the 16-deep K step, and smaller than one tile.
// A small register-blocked tile: SwiftShader compiles the default 64×64 one (16 accumulators per
// invocation) in ~8 s per variant; the same WGSL at 16×16 with 2×2 blocks keeps the file fast.
const TILE = { tileM: 16, tileN: 16, tileK: 8, blockM: 2, blockN: 2 };

const SHAPES = [
  { M: 37, K: 19, N: 70 },
  { M: 5, K: 3, N: 2 },
];

describe('linear layer kernels on Dawn', () => {
  for (const d of SHAPES) {
    it(`backward ${d.M}×${d.K}→${d.N}: dX = dY·Wᵀ, dW = Xᵀ·dY, db; counts equal the cost; accumulation adds`, async () => {
      const rt = await testRuntime();
      const x = randomFloats(d.M * d.K, 1);
      const w = randomFloats(d.K * d.N, 2);
      const dy = randomFloats(d.M * d.N, 3);
      const prior = randomFloats(d.M * d.K, 4);
      const want = linearBackward(dy, x, w, d.M, d.K, d.N);
      const op = await createLinearBackward(rt, d, { bias: true, accumulateDx: true, instrumented: true, shape: TILE });
      const k = await prepareOp(rt, op, { dy, x, w, dx: prior, dw: d.K * d.N * 4, db: d.N * 4 }, 'dw');
      try {
        await runSteps(rt.device, k.steps);
        await expectSlot(
          k,
          'dx',
          want.dx.map((v, i) => v + prior[i]),
          LINEAR_TOLERANCE,
        );
        await expectSlot(k, 'dw', want.dw, LINEAR_TOLERANCE);
        await expectSlot(k, 'db', want.db, LINEAR_TOLERANCE);
        await expectCountsEqualCost(rt.device, k);
        // Accumulating reads dX once more: M·K·4 bytes over the plain backward.
        expect(k.cost.bytesRead - linearBackwardCost(d, { bias: true, shape: TILE }).bytesRead).toBe(d.M * d.K * 4);
        expect(await slotBits(rt.device, k, 'dw')).toEqual(await slotBits(rt.device, k, 'dw'));
      } finally {
        k.dispose();
      }
    });
  }

  it('forward Y = X·W + b and the tied head H·wteᵀ, on caller buffers', async () => {
    const rt = await testRuntime();
    const [M, K, N] = [9, 12, 33];
    const x = randomFloats(M * K, 5);
    const w = randomFloats(K * N, 6);
    const b = randomFloats(N, 7);
    const mm = await prepareOp(
      rt,
      await createMatmulOp(rt, { M, N, K }, { instrumented: true, shape: TILE }),
      { a: x, b: w, c: M * N * 4 },
      'c',
    );
    const add = await createAddBias(rt, { rows: M, cols: N }, { instrumented: true });
    try {
      const bias = await prepareOp(rt, add, { y: M * N * 4, bias: b }, 'y');
      // The bias op bound to the matmul's output buffer: two ops chained on GPU-resident data.
      const enc = rt.device.createCommandEncoder();
      const pass = enc.beginComputePass();
      mm.op.encode(pass, { a: mm.buffers.a, b: mm.buffers.b, c: mm.buffers.c });
      add.encode(pass, { y: mm.buffers.c, bias: bias.buffers.bias });
      pass.end();
      rt.device.queue.submit([enc.finish()]);
      await expectSlot(mm, 'c', linearForward(x, w, b, M, K, N), LINEAR_TOLERANCE);
      expect(await add.counters.read()).toEqual({ bytesRead: add.cost.bytesRead, bytesWritten: add.cost.bytesWritten });
      bias.dispose();
      // Tied head: wte [N, K] used transposed.
      const wte = randomFloats(N * K, 8);
      const head = await prepareOp(
        rt,
        await createMatmulOp(rt, { M, N, K, transposeB: true }, { instrumented: true, shape: TILE }),
        { a: x, b: wte, c: M * N * 4 },
        'c',
      );
      await runSteps(rt.device, head.steps);
      await expectSlot(head, 'c', matmul64(x, wte, { M, N, K, transposeB: true }), LINEAR_TOLERANCE);
      await expectCountsEqualCost(rt.device, head);
      expect(head.cost).toEqual(matmulCost('register-blocked', { M, N, K }, TILE));
      head.dispose();
    } finally {
      mm.dispose();
    }
  });

  it('bias gradient alone over many rows', async () => {
    const rt = await testRuntime();
    const [rows, cols] = [300, 65];
    const dy = randomFloats(rows * cols, 9);
    const k = await prepareOp(
      rt,
      await createBiasGrad(rt, { rows, cols }, { instrumented: true }),
      { dy, db: cols * 4 },
      'db',
    );
    try {
      await runSteps(rt.device, k.steps);
      await expectSlot(k, 'db', linearBiasGrad(dy, rows, cols), LINEAR_TOLERANCE);
      await expectCountsEqualCost(rt.device, k);
    } finally {
      k.dispose();
    }
  });

  it('refuses operands past the binding limit and zero sizes before compiling', async () => {
    const rt = await testRuntime();
    const big = Math.floor(rt.device.limits.maxStorageBufferBindingSize / 4 / 16) + 1;
    await expect(createLinearBackward(rt, { M: big, K: 16, N: 16 })).rejects.toThrow(LimitError);
    await expect(createMatmulOp(rt, { M: 0, N: 4, K: 4 })).rejects.toThrow(RangeError);
    await expect(createBiasGrad(rt, { rows: 4, cols: 0 })).rejects.toThrow(/whole number/);
  });
});
