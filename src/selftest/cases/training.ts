import type { GpuRuntime } from '../../gpu/runtime';
import { adamwStep, ADAMW_TOLERANCE, createAdamW, decayMaskOf, type AdamWHyper } from '../../kernels/adamw';
import {
  ATTENTION_BACKWARD_TOLERANCE,
  attentionBackward64,
  attentionForward64,
  createAttentionBackward,
  createAttentionForward,
  type AttentionDims,
} from '../../kernels/attentionbackward';
import {
  createCrossEntropyBackward,
  createCrossEntropyForward,
  CROSS_ENTROPY_TOLERANCE,
  crossEntropyBackward,
  crossEntropyForward,
  gpuTargets,
  IGNORE_TARGET,
} from '../../kernels/crossentropy';
import {
  createEmbeddingBackward,
  createEmbeddingForward,
  EMBEDDING_TOLERANCE,
  embeddingBackward,
  embeddingForward,
} from '../../kernels/embedding';
import { createGeluBackward, createGeluForward, GELU_TOLERANCE, geluBackward, geluForward } from '../../kernels/gelu';
import { createHeadPermute, fromHeads, HEADS_TOLERANCE, toHeads } from '../../kernels/heads';
import {
  createLayerNormBackward,
  createLayerNormForward,
  LAYERNORM_TOLERANCE,
  layerNormBackward,
  layerNormForward,
} from '../../kernels/layernorm';
import {
  createAddBias,
  createBiasGrad,
  createLinearBackward,
  createMatmulOp,
  LINEAR_SHAPE,
  LINEAR_TOLERANCE,
  linearBackward,
  linearBiasGrad,
  linearForward,
} from '../../kernels/linear';
import { prepareOp } from '../../kernels/op';
import { seededFloats, xorshift32 } from '../../kernels/random';
import type { PreparedCase, SelfTestCase } from '../types';
import { opCase } from './outputs';

/**
 * The trainer's kernels (issue 29), each on its own op with its own buffers, on shapes ragged
 * against their workgroups (the shapes of test/kernels/<kernel>.test.ts). A backward kernel gets
 * its forward's saved values from the float64 reference, so each kernel is judged alone.
 */
function trainCase(
  variant: string,
  shape: string,
  tolerance: number,
  prepare: (rt: GpuRuntime) => Promise<PreparedCase>,
): SelfTestCase {
  return { family: 'training', variant, shape, tolerance: () => tolerance, prepare };
}

const f32 = (a: ArrayLike<number>) => Float32Array.from(a);

function layerNormCases(): SelfTestCase[] {
  // Columns between multiples of the 64-wide workgroup.
  const d = { rows: 5, cols: 37 };
  const n = d.rows * d.cols;
  const shape = `${d.rows}×${d.cols}`;
  const x = seededFloats(n, 1, -3, 5);
  const gamma = seededFloats(d.cols, 2, 0.5, 1.5);
  const beta = seededFloats(d.cols, 3);
  const dy = seededFloats(n, 4);
  return [
    trainCase('layernorm forward', shape, LAYERNORM_TOLERANCE, async (rt) => {
      const want = layerNormForward(x, gamma, beta, d.rows, d.cols);
      const op = await createLayerNormForward(rt, d);
      const k = await prepareOp(rt, op, { x, gamma, beta, y: n * 4, mean: d.rows * 4, rstd: d.rows * 4 }, 'y');
      return opCase(k, { y: want.y, mean: want.mean, rstd: want.rstd });
    }),
    trainCase('layernorm backward', shape, LAYERNORM_TOLERANCE, async (rt) => {
      const fwd = layerNormForward(x, gamma, beta, d.rows, d.cols);
      const mean = f32(fwd.mean);
      const rstd = f32(fwd.rstd);
      const want = layerNormBackward(dy, x, gamma, mean, rstd, d.rows, d.cols);
      const op = await createLayerNormBackward(rt, d);
      const k = await prepareOp(
        rt,
        op,
        { dy, x, gamma, mean, rstd, dx: n * 4, dgamma: d.cols * 4, dbeta: d.cols * 4 },
        'dx',
      );
      return opCase(k, { dx: want.dx, dgamma: want.dgamma, dbeta: want.dbeta });
    }),
  ];
}

function crossEntropyCases(): SelfTestCase[] {
  // A vocabulary past one 64-wide workgroup; every third row ignored.
  const d = { rows: 7, vocab: 70 };
  const shape = `${d.rows} rows × vocab ${d.vocab}, every third row ignored`;
  const logits = seededFloats(d.rows * d.vocab, 1, -8, 8);
  const next = xorshift32(2);
  const targets = Array.from({ length: d.rows }, (_, r) => (r % 3 === 1 ? IGNORE_TARGET : next() % d.vocab));
  const dLoss = 2;
  return [
    trainCase('cross-entropy forward', shape, CROSS_ENTROPY_TOLERANCE, async (rt) => {
      const want = crossEntropyForward(logits, targets, d.rows, d.vocab);
      const op = await createCrossEntropyForward(rt, d);
      const k = await prepareOp(
        rt,
        op,
        { logits, targets: gpuTargets(targets), losses: d.rows * 4, lse: d.rows * 4, stats: 8 },
        'losses',
      );
      return opCase(k, { losses: want.losses, lse: want.logsumexp, stats: [want.meanLoss, want.scored] });
    }),
    trainCase('cross-entropy backward', `${shape}, dLoss ${dLoss}`, CROSS_ENTROPY_TOLERANCE, async (rt) => {
      const fwd = crossEntropyForward(logits, targets, d.rows, d.vocab);
      const op = await createCrossEntropyBackward(rt, d, { dLoss });
      const k = await prepareOp(
        rt,
        op,
        {
          logits,
          targets: gpuTargets(targets),
          lse: f32(fwd.logsumexp),
          stats: Float32Array.of(fwd.meanLoss, fwd.scored),
          dlogits: d.rows * d.vocab * 4,
        },
        'dlogits',
      );
      return opCase(k, { dlogits: crossEntropyBackward(logits, targets, d.rows, d.vocab, dLoss) });
    }),
  ];
}

function geluCases(): SelfTestCase[] {
  // 259 elements: one past a 256-wide workgroup; z past the tanh clamp on both sides.
  const d = { rows: 7, cols: 37 };
  const n = d.rows * d.cols;
  const z = seededFloats(n, 1, -12, 12);
  const bias = seededFloats(d.cols, 2);
  const dy = seededFloats(n, 3);
  const shape = `${d.rows}×${d.cols} with bias`;
  return [
    trainCase('gelu forward', shape, GELU_TOLERANCE, async (rt) => {
      const k = await prepareOp(rt, await createGeluForward(rt, d, { bias: true }), { z, bias, y: n * 4 }, 'y');
      return opCase(k, { y: geluForward(z, bias, d.rows, d.cols) });
    }),
    trainCase('gelu backward', shape, GELU_TOLERANCE, async (rt) => {
      const k = await prepareOp(rt, await createGeluBackward(rt, d, { bias: true }), { z, bias, dy, dz: n * 4 }, 'dz');
      return opCase(k, { dz: geluBackward(z, bias, dy, d.rows, d.cols) });
    }),
  ];
}

function attentionTrainCases(): SelfTestCase[] {
  // n not a multiple of the 8-key block, a head dimension the flash kernel does not take (so the
  // plain forward), causal.
  const s: AttentionDims = { bh: 2, n: 19, d: 8, causal: true };
  const tile = 8;
  const len = s.bh * s.n * s.d;
  const q = seededFloats(len, 1, -2, 2);
  const k = seededFloats(len, 2, -2, 2);
  const v = seededFloats(len, 3);
  const dout = seededFloats(len, 4);
  const shape = `bh=${s.bh} N=${s.n} d=${s.d} causal, block ${tile}`;
  return [
    trainCase('attention forward (plain)', shape, ATTENTION_BACKWARD_TOLERANCE, async (rt) => {
      const want = attentionForward64(q, k, v, s);
      const op = await createAttentionForward(rt, s, { kernel: 'plain', tile });
      const kb = await prepareOp(rt, op, { q, k, v, o: len * 4, lse: s.bh * s.n * 4 }, 'o');
      return opCase(kb, { o: want.out, lse: want.lse });
    }),
    trainCase('attention backward', shape, ATTENTION_BACKWARD_TOLERANCE, async (rt) => {
      const fwd = attentionForward64(q, k, v, s);
      const o = f32(fwd.out);
      const lse = f32(fwd.lse);
      const want = attentionBackward64(q, k, v, o, lse, dout, s);
      const op = await createAttentionBackward(rt, s, { tile });
      const kb = await prepareOp(rt, op, { q, k, v, o, lse, dout, dq: len * 4, dk: len * 4, dv: len * 4 }, 'dq');
      return opCase(kb, { dq: want.dq, dk: want.dk, dv: want.dv });
    }),
  ];
}

function embeddingCases(): SelfTestCase[] {
  // 70 channels: past one 64-column workgroup; vocabulary row 6 never used (written as zeros).
  const d = { batch: 3, seq: 5, channels: 70, vocab: 7 };
  const tMax = 8;
  const next = xorshift32(3);
  const tokens = Uint32Array.from({ length: d.batch * d.seq }, () => next() % 6);
  const wte = seededFloats(d.vocab * d.channels, 1);
  const wpe = seededFloats(tMax * d.channels, 2);
  const dout = seededFloats(d.batch * d.seq * d.channels, 4);
  const shape = `batch ${d.batch} × seq ${d.seq}, C=${d.channels}, vocab ${d.vocab}`;
  return [
    trainCase('embedding forward', shape, EMBEDDING_TOLERANCE, async (rt) => {
      const k = await prepareOp(
        rt,
        await createEmbeddingForward(rt, d),
        { tokens, wte, wpe, out: dout.length * 4 },
        'out',
      );
      return opCase(k, { out: embeddingForward(tokens, wte, wpe, d) });
    }),
    trainCase('embedding backward', shape, EMBEDDING_TOLERANCE, async (rt) => {
      const want = embeddingBackward(tokens, dout, d);
      const k = await prepareOp(
        rt,
        await createEmbeddingBackward(rt, d),
        { tokens, dout, dwte: d.vocab * d.channels * 4, dwpe: d.seq * d.channels * 4 },
        'dwte',
      );
      return opCase(k, { dwte: want.dwte, dwpe: want.dwpe });
    }),
  ];
}

function adamwCase(): SelfTestCase {
  // Not a multiple of the 256-wide workgroups; weight decay on the first segment only; gradients
  // far above max_norm, so the step clips.
  const n = 1000;
  const segments = [
    { offset: 0, length: 700, decay: true },
    { offset: 700, length: 300, decay: false },
  ];
  const hp: AdamWHyper = { lr: 0.01, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, step: 1, maxNorm: 1 };
  return trainCase('adamw step', `${n} parameters, 2 segments, clipped`, ADAMW_TOLERANCE, async (rt) => {
    const params = seededFloats(n, 1);
    const grads = seededFloats(n, 11, -3, 3);
    const m = new Float32Array(n);
    const v = new Float32Array(n);
    const op = await createAdamW(rt, n, { segments });
    op.setHyper(hp);
    const k = await prepareOp(rt, op, { params, grads, m, v, stats: 12 }, 'params');
    const r = adamwStep(params, grads, m, v, hp, decayMaskOf(n, segments));
    return opCase(k, { params: r.params, m: r.m, v: r.v, stats: [r.gradNorm, r.clip, 0] });
  });
}

function linearCases(): SelfTestCase[] {
  // Ragged against the 64×64 tile and the 16-deep K step.
  const d = { M: 37, K: 19, N: 70 };
  const x = seededFloats(d.M * d.K, 1);
  const w = seededFloats(d.K * d.N, 2);
  const b = seededFloats(d.N, 3);
  const dy = seededFloats(d.M * d.N, 4);
  const s = LINEAR_SHAPE;
  const shape = `M=${d.M} K=${d.K} N=${d.N}`;
  const tile = `, tile ${s.tileM}×${s.tileN}×${s.tileK} block ${s.blockM}×${s.blockN}`;
  return [
    trainCase('linear forward (X·W)', shape + tile, LINEAR_TOLERANCE, async (rt) => {
      const k = await prepareOp(rt, await createMatmulOp(rt, d), { a: x, b: w, c: d.M * d.N * 4 }, 'c');
      return opCase(k, { c: linearForward(x, w, null, d.M, d.K, d.N) });
    }),
    trainCase('linear backward (dX, dW, db)', shape + tile, LINEAR_TOLERANCE, async (rt) => {
      const want = linearBackward(dy, x, w, d.M, d.K, d.N);
      const op = await createLinearBackward(rt, d, { bias: true });
      const k = await prepareOp(rt, op, { dy, x, w, dx: d.M * d.K * 4, dw: d.K * d.N * 4, db: d.N * 4 }, 'dw');
      return opCase(k, { dx: want.dx, dw: want.dw, db: want.db });
    }),
    trainCase('add bias', `${d.M}×${d.N}`, LINEAR_TOLERANCE, async (rt) => {
      const y = seededFloats(d.M * d.N, 5);
      const k = await prepareOp(rt, await createAddBias(rt, { rows: d.M, cols: d.N }), { y, bias: b }, 'y');
      return opCase(k, { y: Float64Array.from(y, (v, i) => v + b[i % d.N]) });
    }),
    trainCase('bias gradient (column sums)', `${d.M}×${d.N}`, LINEAR_TOLERANCE, async (rt) => {
      const k = await prepareOp(rt, await createBiasGrad(rt, { rows: d.M, cols: d.N }), { dy, db: d.N * 4 }, 'db');
      return opCase(k, { db: linearBiasGrad(dy, d.M, d.N) });
    }),
  ];
}

function headsCases(): SelfTestCase[] {
  // The k third of a fused QKV row: a stride and an offset, an odd head dimension.
  const l = { batch: 2, seq: 7, heads: 3, headDim: 5, stride: 45, offset: 15 };
  const n = l.batch * l.seq * l.heads * l.headDim;
  const rows = seededFloats(l.batch * l.seq * l.stride, 1);
  const heads = seededFloats(n, 2);
  const shape = `batch ${l.batch}, seq ${l.seq}, ${l.heads} heads × ${l.headDim}, stride ${l.stride} offset ${l.offset}`;
  return [
    trainCase('rows → heads', shape, HEADS_TOLERANCE, async (rt) => {
      const k = await prepareOp(rt, await createHeadPermute(rt, l, 'heads'), { rows, heads: n * 4 }, 'heads');
      return opCase(k, { heads: toHeads(rows, l) });
    }),
    trainCase('heads → rows', shape, HEADS_TOLERANCE, async (rt) => {
      const k = await prepareOp(rt, await createHeadPermute(rt, l, 'rows'), { heads, rows }, 'rows');
      return opCase(k, { rows: fromHeads(heads, rows, l) });
    }),
  ];
}

export function trainingCases(): SelfTestCase[] {
  return [
    ...layerNormCases(),
    ...crossEntropyCases(),
    ...geluCases(),
    ...attentionTrainCases(),
    ...embeddingCases(),
    adamwCase(),
    ...linearCases(),
    ...headsCases(),
  ];
}
