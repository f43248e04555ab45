import { describe, expect, it } from 'vitest';
import { createStorageBuffer, destroyAll, readFloat32 } from '../../src/gpu/buffers';
import { compareOutputs } from '../../src/kernels/check';
import {
  createCrossEntropyBackward,
  createCrossEntropyForward,
  crossEntropyBackward,
  crossEntropyForward,
  gpuTargets,
  IGNORE_TARGET,
} from '../../src/kernels/crossentropy';
import {
  createEmbeddingBackward,
  createEmbeddingForward,
  embeddingBackward,
  embeddingForward,
} from '../../src/kernels/embedding';
import {
  createLayerNormBackward,
  createLayerNormForward,
  layerNormBackward,
  layerNormForward,
} from '../../src/kernels/layernorm';
import { createMatmulOp, matmul64 } from '../../src/kernels/linear';
import type { GpuOp } from '../../src/kernels/op';
import { xorshift32 } from '../../src/kernels/random';
import { randomFloats, testRuntime } from '../helpers/gpu';

// The ops composed the way the trainer composes them: a one-layer "model" (embedding, LayerNorm,
// tied output head, cross-entropy) forward and backward, twelve dispatches encoded into ONE
// compute pass on GPU-resident buffers, against the same composition of the float64 references.
describe('training kernels chained in one submission', () => {
  it('embedding → LayerNorm → tied head → cross-entropy and back: gradients match float64, run to run bit-identical', async () => {
    const rt = await testRuntime();
    const [B, T, C, V] = [2, 5, 8, 11];
    const BT = B * T;
    const dims = { batch: B, seq: T, channels: C, vocab: V };
    const next = xorshift32(9);
    const tokens = Uint32Array.from({ length: BT }, () => next() % V);
    const targets = Array.from({ length: BT }, (_, i) => (i % T === 0 ? IGNORE_TARGET : tokens[(i + 1) % BT]));
    const wte = randomFloats(V * C, 1);
    const wpe = randomFloats(T * C, 2);
    const gamma = randomFloats(C, 3, 0.5, 1.5);
    const beta = randomFloats(C, 4);

    // CPU: the same model from the references.
    const x = embeddingForward(tokens, wte, wpe, dims);
    const ln = layerNormForward(x, gamma, beta, BT, C);
    const logits = matmul64(ln.y, wte, { M: BT, N: V, K: C, transposeB: true });
    const ce = crossEntropyForward(logits, targets, BT, V);
    const dlogits = crossEntropyBackward(logits, targets, BT, V, 1, ce.logsumexp);
    const dy = matmul64(dlogits, wte, { M: BT, N: C, K: V });
    const dwteHead = matmul64(dlogits, ln.y, { M: V, N: C, K: BT, transposeA: true });
    const lnb = layerNormBackward(dy, x, gamma, ln.mean, ln.rstd, BT, C);
    const emb = embeddingBackward(tokens, lnb.dx, dims);
    const wantDwte = dwteHead.map((v, i) => v + emb.dwte[i]);

    const tile = { shape: { tileM: 16, tileN: 16, tileK: 8, blockM: 2, blockN: 2 } };
    const ops: GpuOp<string>[] = [];
    const bufs: GPUBuffer[] = [];
    const buf = async (data: Float32Array | Uint32Array | number, label: string) => {
      const b = await createStorageBuffer(rt.device, data, label);
      bufs.push(b);
      return b;
    };
    const op = async <T extends GpuOp<string>>(p: Promise<T>) => {
      const o = await p;
      ops.push(o);
      return o;
    };
    try {
      const g = {
        tokens: await buf(tokens, 'tokens'),
        targets: await buf(gpuTargets(targets), 'targets'),
        wte: await buf(wte, 'wte'),
        wpe: await buf(wpe, 'wpe'),
        gamma: await buf(gamma, 'gamma'),
        beta: await buf(beta, 'beta'),
        x: await buf(BT * C * 4, 'x'),
        y: await buf(BT * C * 4, 'y'),
        mean: await buf(BT * 4, 'mean'),
        rstd: await buf(BT * 4, 'rstd'),
        logits: await buf(BT * V * 4, 'logits'),
        losses: await buf(BT * 4, 'losses'),
        lse: await buf(BT * 4, 'lse'),
        stats: await buf(8, 'stats'),
        dlogits: await buf(BT * V * 4, 'dlogits'),
        dy: await buf(BT * C * 4, 'dy'),
        dx: await buf(BT * C * 4, 'dx'),
        dgamma: await buf(C * 4, 'dgamma'),
        dbeta: await buf(C * 4, 'dbeta'),
        dwte: await buf(V * C * 4, 'dwte'),
        dwpe: await buf(T * C * 4, 'dwpe'),
      };
      const embF = await op(createEmbeddingForward(rt, dims));
      const lnF = await op(createLayerNormForward(rt, { rows: BT, cols: C }));
      const head = await op(createMatmulOp(rt, { M: BT, N: V, K: C, transposeB: true }, tile));
      const ceF = await op(createCrossEntropyForward(rt, { rows: BT, vocab: V }));
      const ceB = await op(createCrossEntropyBackward(rt, { rows: BT, vocab: V }));
      const headDx = await op(createMatmulOp(rt, { M: BT, N: C, K: V }, tile));
      const headDw = await op(createMatmulOp(rt, { M: V, N: C, K: BT, transposeA: true }, tile));
      const lnB = await op(createLayerNormBackward(rt, { rows: BT, cols: C }));
      const embB = await op(createEmbeddingBackward(rt, dims, { accumulate: true }));

      const step = async () => {
        const enc = rt.device.createCommandEncoder();
        const pass = enc.beginComputePass();
        embF.encode(pass, { tokens: g.tokens, wte: g.wte, wpe: g.wpe, out: g.x });
        lnF.encode(pass, { x: g.x, gamma: g.gamma, beta: g.beta, y: g.y, mean: g.mean, rstd: g.rstd });
        head.encode(pass, { a: g.y, b: g.wte, c: g.logits });
        ceF.encode(pass, { logits: g.logits, targets: g.targets, losses: g.losses, lse: g.lse, stats: g.stats });
        ceB.encode(pass, { logits: g.logits, targets: g.targets, lse: g.lse, stats: g.stats, dlogits: g.dlogits });
        headDx.encode(pass, { a: g.dlogits, b: g.wte, c: g.dy });
        headDw.encode(pass, { a: g.dlogits, b: g.y, c: g.dwte });
        lnB.encode(pass, {
          dy: g.dy,
          x: g.x,
          gamma: g.gamma,
          mean: g.mean,
          rstd: g.rstd,
          dx: g.dx,
          dgamma: g.dgamma,
          dbeta: g.dbeta,
        });
        embB.encode(pass, { tokens: g.tokens, dout: g.dx, dwte: g.dwte, dwpe: g.dwpe });
        pass.end();
        rt.device.queue.submit([enc.finish()]);
        return Promise.all([g.stats, g.dwte, g.dwpe, g.dgamma, g.dbeta].map((b) => readFloat32(rt.device, b)));
      };
      const [stats, dwte, dwpe, dgamma, dbeta] = await step();
      expect(stats[0]).toBeCloseTo(ce.meanLoss, 5);
      for (const [got, want] of [
        [dwte, wantDwte],
        [dwpe, emb.dwpe],
        [dgamma, lnb.dgamma],
        [dbeta, lnb.dbeta],
      ] as const)
        expect(compareOutputs(got, want).error).toBeLessThan(1e-4);
      // The same step again: the same bits (the trainer's bit-identical resume rests on this).
      const again = await step();
      expect(again.map((a) => Array.from(new Uint32Array(a.buffer)))).toEqual(
        [stats, dwte, dwpe, dgamma, dbeta].map((a) => Array.from(new Uint32Array(a.buffer))),
      );
      // These are timing builds: their counters compiled away, they read zeros.
      for (const o of ops) expect(await o.counters.read(), o.label).toEqual({ bytesRead: 0, bytesWritten: 0 });
    } finally {
      for (const o of ops) o.dispose();
      destroyAll(bufs);
    }
  });
});
