import { describe, expect, it } from 'vitest';
import { createStorageBuffer, destroyAll, readFloat32 } from '../../src/gpu/buffers';
import {
  attentionBackward64,
  attentionForward64,
  createAttentionBackward,
  createAttentionForward,
} from '../../src/kernels/attentionbackward';
import { compareOutputs } from '../../src/kernels/check';
import { createGeluBackward, createGeluForward, geluBackward, geluForward } from '../../src/kernels/gelu';
import { createHeadPermute, fromHeads, toHeads, type HeadLayout } from '../../src/kernels/heads';
import {
  createLayerNormBackward,
  createLayerNormForward,
  layerNormBackward,
  layerNormForward,
} from '../../src/kernels/layernorm';
import { createLinearBackward, createMatmulOp, linearBackward, matmul64 } from '../../src/kernels/linear';
import type { GpuOp } from '../../src/kernels/op';
import { randomFloats, testRuntime } from '../helpers/gpu';

// One pre-LN transformer block, forward and backward, built from the training kernels the way the
// trainer builds it (heads permutes around attention, residual adds by accumulating matmuls and
// LayerNorm backwards), on GPU-resident buffers in one submission, against the same block composed
// from the float64 references. L = Σ w ⊙ out for a random w, so dout = w.
describe('a transformer block from the training kernels', () => {
  it('forward and backward of x + attn(LN1 x), then + MLP(LN2 ·): every gradient matches float64', async () => {
    const rt = await testRuntime();
    const [B, T, C, H] = [2, 6, 16, 2];
    const d = C / H;
    const BT = B * T;
    const F = 4 * C;
    const r = (n: number, seed: number, lo = -1, hi = 1) => randomFloats(n, seed, lo, hi);
    const x = r(BT * C, 1, -2, 2);
    const [g1, be1, g2, be2] = [r(C, 2, 0.5, 1.5), r(C, 3), r(C, 4, 0.5, 1.5), r(C, 5)];
    const s = 1 / Math.sqrt(C);
    const wqkv = r(C * 3 * C, 6, -s, s);
    const wo = r(C * C, 7, -s, s);
    const w1 = r(C * F, 8, -s, s);
    const bf = r(F, 9);
    const w2 = r(F * C, 10, -0.5 * s, 0.5 * s);
    const w = r(BT * C, 11);
    const att = { bh: B * H, n: T, d, causal: true };
    const lay = (stride: number, offset: number): HeadLayout => ({
      batch: B,
      seq: T,
      heads: H,
      headDim: d,
      stride,
      offset,
    });

    // CPU, float64.
    const l1 = layerNormForward(x, g1, be1, BT, C);
    const qkv = matmul64(l1.y, wqkv, { M: BT, N: 3 * C, K: C });
    const [q, k, v] = [0, C, 2 * C].map((o) => toHeads(qkv, lay(3 * C, o)));
    const af = attentionForward64(q, k, v, att);
    const merged = fromHeads(af.out, new Float64Array(BT * C), lay(C, 0));
    const x2 = matmul64(merged, wo, { M: BT, N: C, K: C }, x);
    const l2 = layerNormForward(x2, g2, be2, BT, C);
    const z = matmul64(l2.y, w1, { M: BT, N: F, K: C });
    const a = geluForward(z, bf, BT, F);
    const mlp = linearBackward(w, a, w2, BT, F, C);
    const dz = geluBackward(z, bf, mlp.dx, BT, F);
    const fc = linearBackward(dz, l2.y, w1, BT, C, F);
    const ln2b = layerNormBackward(fc.dx, x2, g2, l2.mean, l2.rstd, BT, C);
    const dx2 = ln2b.dx.map((vv, i) => vv + w[i]);
    const proj = linearBackward(dx2, merged, wo, BT, C, C);
    const dO = toHeads(proj.dx, lay(C, 0));
    const ab = attentionBackward64(q, k, v, af.out, af.lse, dO, att);
    let dqkv: Float64Array = new Float64Array(BT * 3 * C);
    [ab.dq, ab.dk, ab.dv].forEach((g, i) => (dqkv = fromHeads(g, dqkv, lay(3 * C, i * C))));
    const qkvG = linearBackward(dqkv, l1.y, wqkv, BT, C, 3 * C);
    const ln1b = layerNormBackward(qkvG.dx, x, g1, l1.mean, l1.rstd, BT, C);
    const dx = ln1b.dx.map((vv, i) => vv + dx2[i]);

    const tile = { shape: { tileM: 16, tileN: 16, tileK: 8, blockM: 2, blockN: 2 } };
    const bufs: GPUBuffer[] = [];
    const ops: GpuOp<string>[] = [];
    const buf = async (data: Float32Array | number, label: string) => {
      const b = await createStorageBuffer(rt.device, data, label);
      bufs.push(b);
      return b;
    };
    const op = async <O extends GpuOp<string>>(p: Promise<O>) => {
      const o = await p;
      ops.push(o);
      return o;
    };
    try {
      const F4 = (n: number) => n * 4;
      const G = {
        x: await buf(x, 'x'),
        g1: await buf(g1, 'g1'),
        be1: await buf(be1, 'be1'),
        g2: await buf(g2, 'g2'),
        be2: await buf(be2, 'be2'),
        wqkv: await buf(wqkv, 'wqkv'),
        wo: await buf(wo, 'wo'),
        w1: await buf(w1, 'w1'),
        bf: await buf(bf, 'bf'),
        w2: await buf(w2, 'w2'),
        w: await buf(w, 'w'),
        y1: await buf(F4(BT * C), 'y1'),
        m1: await buf(F4(BT), 'm1'),
        r1: await buf(F4(BT), 'r1'),
        qkv: await buf(F4(BT * 3 * C), 'qkv'),
        q: await buf(F4(BT * C), 'q'),
        k: await buf(F4(BT * C), 'k'),
        v: await buf(F4(BT * C), 'v'),
        o: await buf(F4(BT * C), 'o'),
        lse: await buf(F4(B * H * T), 'lse'),
        att: await buf(F4(BT * C), 'att'),
        x2: await buf(F4(BT * C), 'x2'),
        y2: await buf(F4(BT * C), 'y2'),
        m2: await buf(F4(BT), 'm2'),
        r2: await buf(F4(BT), 'r2'),
        z: await buf(F4(BT * F), 'z'),
        a: await buf(F4(BT * F), 'a'),
        out: await buf(F4(BT * C), 'out'),
        da: await buf(F4(BT * F), 'da'),
        dw2: await buf(F4(F * C), 'dw2'),
        dz: await buf(F4(BT * F), 'dz'),
        dy2: await buf(F4(BT * C), 'dy2'),
        dw1: await buf(F4(C * F), 'dw1'),
        dbf: await buf(F4(F), 'dbf'),
        dx2: await buf(F4(BT * C), 'dx2'),
        dg2: await buf(F4(C), 'dg2'),
        dbe2: await buf(F4(C), 'dbe2'),
        datt: await buf(F4(BT * C), 'datt'),
        dwo: await buf(F4(C * C), 'dwo'),
        dO: await buf(F4(BT * C), 'dO'),
        dq: await buf(F4(BT * C), 'dq'),
        dk: await buf(F4(BT * C), 'dk'),
        dv: await buf(F4(BT * C), 'dv'),
        dqkv: await buf(F4(BT * 3 * C), 'dqkv'),
        dy1: await buf(F4(BT * C), 'dy1'),
        dwqkv: await buf(F4(C * 3 * C), 'dwqkv'),
        dx: await buf(F4(BT * C), 'dx'),
        dg1: await buf(F4(C), 'dg1'),
        dbe1: await buf(F4(C), 'dbe1'),
      };
      const lnF = await op(createLayerNormForward(rt, { rows: BT, cols: C }));
      const mmQkv = await op(createMatmulOp(rt, { M: BT, N: 3 * C, K: C }, tile));
      const toH = await Promise.all([0, C, 2 * C].map((o) => op(createHeadPermute(rt, lay(3 * C, o), 'heads'))));
      const attF = await op(createAttentionForward(rt, att));
      const merge = await op(createHeadPermute(rt, lay(C, 0), 'rows'));
      const mmProj = await op(createMatmulOp(rt, { M: BT, N: C, K: C, accumulate: true }, tile));
      const mmFc = await op(createMatmulOp(rt, { M: BT, N: F, K: C }, tile));
      const gF = await op(createGeluForward(rt, { rows: BT, cols: F }, { bias: true }));
      const mmOut = await op(createMatmulOp(rt, { M: BT, N: C, K: F, accumulate: true }, tile));
      const mlpB = await op(createLinearBackward(rt, { M: BT, K: F, N: C }, tile));
      const gB = await op(createGeluBackward(rt, { rows: BT, cols: F }, { bias: true }));
      const fcB = await op(createLinearBackward(rt, { M: BT, K: C, N: F }, { ...tile, bias: true }));
      const lnB = await op(createLayerNormBackward(rt, { rows: BT, cols: C }, { accumulate: true }));
      const projB = await op(createLinearBackward(rt, { M: BT, K: C, N: C }, tile));
      const split = await op(createHeadPermute(rt, lay(C, 0), 'heads'));
      const attB = await op(createAttentionBackward(rt, att));
      const toRows = await Promise.all([0, C, 2 * C].map((o) => op(createHeadPermute(rt, lay(3 * C, o), 'rows'))));
      const qkvB = await op(createLinearBackward(rt, { M: BT, K: C, N: 3 * C }, tile));

      const enc = rt.device.createCommandEncoder();
      const bytes = BT * C * 4;
      // Residual adds accumulate into a copy of the stream: x2 starts as x, out as x2, dx2 as w, dx as dx2.
      enc.copyBufferToBuffer(G.x, 0, G.x2, 0, bytes);
      let pass = enc.beginComputePass();
      lnF.encode(pass, { x: G.x, gamma: G.g1, beta: G.be1, y: G.y1, mean: G.m1, rstd: G.r1 });
      mmQkv.encode(pass, { a: G.y1, b: G.wqkv, c: G.qkv });
      [G.q, G.k, G.v].forEach((h, i) => toH[i].encode(pass, { rows: G.qkv, heads: h }));
      attF.encode(pass, { q: G.q, k: G.k, v: G.v, o: G.o, lse: G.lse });
      merge.encode(pass, { heads: G.o, rows: G.att });
      mmProj.encode(pass, { a: G.att, b: G.wo, c: G.x2 });
      pass.end();
      enc.copyBufferToBuffer(G.x2, 0, G.out, 0, bytes);
      enc.copyBufferToBuffer(G.w, 0, G.dx2, 0, bytes);
      pass = enc.beginComputePass();
      lnF.encode(pass, { x: G.x2, gamma: G.g2, beta: G.be2, y: G.y2, mean: G.m2, rstd: G.r2 });
      mmFc.encode(pass, { a: G.y2, b: G.w1, c: G.z });
      gF.encode(pass, { z: G.z, bias: G.bf, y: G.a });
      mmOut.encode(pass, { a: G.a, b: G.w2, c: G.out });
      // Backward, dout = w.
      mlpB.encode(pass, { dy: G.w, x: G.a, w: G.w2, dx: G.da, dw: G.dw2 });
      gB.encode(pass, { z: G.z, bias: G.bf, dy: G.da, dz: G.dz });
      fcB.encode(pass, { dy: G.dz, x: G.y2, w: G.w1, dx: G.dy2, dw: G.dw1, db: G.dbf });
      lnB.encode(pass, {
        dy: G.dy2,
        x: G.x2,
        gamma: G.g2,
        mean: G.m2,
        rstd: G.r2,
        dx: G.dx2,
        dgamma: G.dg2,
        dbeta: G.dbe2,
      });
      projB.encode(pass, { dy: G.dx2, x: G.att, w: G.wo, dx: G.datt, dw: G.dwo });
      split.encode(pass, { rows: G.datt, heads: G.dO });
      attB.encode(pass, { q: G.q, k: G.k, v: G.v, o: G.o, lse: G.lse, dout: G.dO, dq: G.dq, dk: G.dk, dv: G.dv });
      [G.dq, G.dk, G.dv].forEach((h, i) => toRows[i].encode(pass, { heads: h, rows: G.dqkv }));
      qkvB.encode(pass, { dy: G.dqkv, x: G.y1, w: G.wqkv, dx: G.dy1, dw: G.dwqkv });
      pass.end();
      enc.copyBufferToBuffer(G.dx2, 0, G.dx, 0, bytes);
      pass = enc.beginComputePass();
      lnB.encode(pass, {
        dy: G.dy1,
        x: G.x,
        gamma: G.g1,
        mean: G.m1,
        rstd: G.r1,
        dx: G.dx,
        dgamma: G.dg1,
        dbeta: G.dbe1,
      });
      pass.end();
      rt.device.queue.submit([enc.finish()]);

      const out = matmul64(a, w2, { M: BT, N: C, K: F }, x2);
      const checks: [GPUBuffer, ArrayLike<number>, string][] = [
        [G.out, out, 'out'],
        [G.dx, dx, 'dx'],
        [G.dwqkv, qkvG.dw, 'dWqkv'],
        [G.dwo, proj.dw, 'dWo'],
        [G.dw1, fc.dw, 'dW1'],
        [G.dbf, fc.db, 'db1'],
        [G.dw2, mlp.dw, 'dW2'],
        [G.dg1, ln1b.dgamma, 'dγ1'],
        [G.dbe1, ln1b.dbeta, 'dβ1'],
        [G.dg2, ln2b.dgamma, 'dγ2'],
        [G.dbe2, ln2b.dbeta, 'dβ2'],
      ];
      for (const [b, want, name] of checks) {
        const c = compareOutputs(await readFloat32(rt.device, b, want.length), want);
        expect(c.error, `${name}: worst at ${c.index}, got ${c.got}, want ${c.want}`).toBeLessThan(1e-4);
      }
    } finally {
      for (const o of ops) o.dispose();
      destroyAll(bufs);
    }
  });
});
