import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import { LimitError } from '../../src/gpu/errors';
import {
  ATTENTION_BACKWARD_TOLERANCE,
  attentionBackward64,
  attentionBackwardCost,
  attentionForward64,
  backwardTile,
  createAttentionBackward,
  createAttentionForward,
  type AttentionDims,
} from '../../src/kernels/attentionbackward';
import { prepareOp } from '../../src/kernels/op';
import { expectCountsEqualCost, expectSlot, slotBits } from '../helpers/ops';
import { randomFloats, testRuntime } from '../helpers/gpu';

// Ragged: n not a multiple of the block (19 = 2·8 + 3; 13 < 16), an odd head dimension, causal and not.
const CASES: { s: AttentionDims; tile: number }[] = [
  { s: { bh: 2, n: 19, d: 8, causal: true }, tile: 8 },
  { s: { bh: 1, n: 13, d: 5, causal: false }, tile: 16 },
];

describe('attention backward on Dawn', () => {
  for (const { s, tile } of CASES) {
    it(`bh ${s.bh}, n ${s.n}, d ${s.d}, ${s.causal ? 'causal' : 'full'}, block ${tile}: dQ, dK, dV match float64; counts equal the cost; deterministic`, async () => {
      const rt = await testRuntime();
      const len = s.bh * s.n * s.d;
      const q = randomFloats(len, 1, -2, 2);
      const k = randomFloats(len, 2, -2, 2);
      const v = randomFloats(len, 3);
      const dout = randomFloats(len, 4);
      const fwd = attentionForward64(q, k, v, s);
      // The forward's O and lse as float32, as flash.wgsl would hand them over.
      const o = Float32Array.from(fwd.out);
      const lse = Float32Array.from(fwd.lse);
      const want = attentionBackward64(q, k, v, o, lse, dout, s);
      const op = await createAttentionBackward(rt, s, { tile, instrumented: true });
      expect(op.tile).toBe(tile);
      const kb = await prepareOp(rt, op, { q, k, v, o, lse, dout, dq: len * 4, dk: len * 4, dv: len * 4 }, 'dq');
      try {
        await runSteps(rt.device, kb.steps);
        await expectSlot(kb, 'dq', want.dq, ATTENTION_BACKWARD_TOLERANCE);
        await expectSlot(kb, 'dk', want.dk, ATTENTION_BACKWARD_TOLERANCE);
        await expectSlot(kb, 'dv', want.dv, ATTENTION_BACKWARD_TOLERANCE);
        await expectCountsEqualCost(rt.device, kb);
        expect(await slotBits(rt.device, kb, 'dk')).toEqual(await slotBits(rt.device, kb, 'dk'));
      } finally {
        kb.dispose();
      }
    });
  }

  for (const d of [8, 32]) {
    it(`forward then backward chained on GPU buffers in one pass (d ${d}: ${d === 32 ? 'flash.wgsl' : 'plain kernel'})`, async () => {
      const rt = await testRuntime();
      const s: AttentionDims = { bh: 2, n: 21, d, causal: true };
      const len = s.bh * s.n * s.d;
      const q = randomFloats(len, 5, -2, 2);
      const k = randomFloats(len, 6, -2, 2);
      const v = randomFloats(len, 7);
      const dout = randomFloats(len, 8);
      // Small tiles: SwiftShader compiles the device's largest flash tile in ~25 s.
      const fwd = await createAttentionForward(rt, s, {
        instrumented: true,
        flashTile: { br: 16, bc: 16, rows: 1 },
        tile: 8,
      });
      expect(fwd.kernel).toBe(d === 32 ? 'flash' : 'plain');
      const bwd = await createAttentionBackward(rt, s, { tile: 8 });
      const kb = await prepareOp(
        rt,
        bwd,
        { q, k, v, o: len * 4, lse: s.bh * s.n * 4, dout, dq: len * 4, dk: len * 4, dv: len * 4 },
        'dq',
      );
      try {
        const enc = rt.device.createCommandEncoder();
        const pass = enc.beginComputePass();
        const b = kb.buffers;
        fwd.encode(pass, { q: b.q, k: b.k, v: b.v, o: b.o, lse: b.lse });
        bwd.encode(pass, b);
        pass.end();
        rt.device.queue.submit([enc.finish()]);
        const want = attentionForward64(q, k, v, s);
        await expectSlot(kb, 'o', want.out, ATTENTION_BACKWARD_TOLERANCE);
        await expectSlot(kb, 'lse', want.lse, ATTENTION_BACKWARD_TOLERANCE);
        expect(await fwd.counters.read()).toEqual({
          bytesRead: fwd.cost.bytesRead,
          bytesWritten: fwd.cost.bytesWritten,
        });
        const g = attentionBackward64(q, k, v, want.out, want.lse, dout, s);
        await expectSlot(kb, 'dq', g.dq, ATTENTION_BACKWARD_TOLERANCE);
        await expectSlot(kb, 'dk', g.dk, ATTENTION_BACKWARD_TOLERANCE);
        await expectSlot(kb, 'dv', g.dv, ATTENTION_BACKWARD_TOLERANCE);
        expect(await bwd.counters.read()).toEqual({ bytesRead: 0, bytesWritten: 0 });
      } finally {
        kb.dispose();
        fwd.dispose();
      }
    });
  }

  it('the causal mask skips the blocks above the diagonal in the cost', () => {
    const s = { bh: 1, n: 64, d: 16, causal: true };
    const full = attentionBackwardCost({ ...s, causal: false }, 16);
    const causal = attentionBackwardCost(s, 16);
    expect(causal.dkv.bytesRead).toBeLessThan(full.dkv.bytesRead);
    expect(causal.dq.flops).toBe(6 * 16 * ((64 * 65) / 2));
  });

  it('picks a block that fits workgroup memory, and refuses what cannot run before compiling', async () => {
    const rt = await testRuntime();
    const limits = rt.device.limits;
    expect(backwardTile(128, { maxComputeWorkgroupStorageSize: 16384, maxComputeInvocationsPerWorkgroup: 256 })).toBe(
      8,
    );
    expect(backwardTile(16, { maxComputeWorkgroupStorageSize: 16384, maxComputeInvocationsPerWorkgroup: 256 })).toBe(
      32,
    );
    await expect(createAttentionBackward(rt, { bh: 1, n: 8, d: 129, causal: true })).rejects.toThrow(
      /head dimension 129/,
    );
    await expect(createAttentionBackward(rt, { bh: 1, n: 8, d: 64, causal: true }, { tile: 64 })).rejects.toThrow(
      LimitError,
    );
    await expect(
      createAttentionBackward(rt, { bh: limits.maxComputeWorkgroupsPerDimension + 1, n: 1, d: 4, causal: true }),
    ).rejects.toThrow(LimitError);
  });
});
