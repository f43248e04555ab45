import { attentionBackward64, attentionForward64, type AttentionDims } from '../../kernels/attentionbackward/reference';
import { crossEntropyBackward, crossEntropyForward } from '../../kernels/crossentropy/reference';
import { embeddingBackward, embeddingForward } from '../../kernels/embedding/reference';
import { geluBackward, geluForward } from '../../kernels/gelu/reference';
import { layerNormBackward, layerNormForward, type LayerNormForward } from '../../kernels/layernorm/reference';
import { linearBiasGrad, linearForward, matmul64 } from '../../kernels/linear/reference';
import type { GptConfig } from '../config';
import { paramLayout, view, type ParamLayout, type ParamTensor } from '../layout';

/**
 * The whole GPT forward and backward in float64 on the CPU, composed from the training kernels'
 * references (src/kernels/<op>/reference.ts), so the whole-model gradient check also checks the
 * references fit together. It is the yardstick the GPU step and the tfjs peer are held to.
 * Parameters and gradients use the flat layout (src/model/layout.ts). The MLP's bias + GELU is
 * computed as the GPU does: z = x·W without bias, then gelu(z + b) in one epilogue.
 */

interface BlockSaved {
  x: Float64Array;
  ln1: LayerNormForward;
  /** Q, K, V split into heads, [B·H, T, hd] each (the attention kernels' layout). */
  q: Float64Array;
  k: Float64Array;
  v: Float64Array;
  o: Float64Array;
  lse: Float64Array;
  /** Heads merged back, [B·T, D]. */
  att: Float64Array;
  x2: Float64Array;
  ln2: LayerNormForward;
  z: Float64Array;
  act: Float64Array;
}

export interface ForwardResult {
  loss: number;
  /** Positions that counted in the loss (target ≥ 0). */
  count: number;
  /** [rows·T, V]. */
  logits: Float64Array;
}

interface Saved {
  blocks: BlockSaved[];
  xf: Float64Array;
  lnf: LayerNormForward;
  logsumexp: Float64Array;
}

/** Columns part·D … (part+1)·D of [B·T, width] as heads, [B·H, T, hd] (the attention kernels' layout). */
export function toHeads(
  src: Float64Array,
  B: number,
  T: number,
  D: number,
  H: number,
  width: number,
  part: number,
): Float64Array {
  const hd = D / H;
  const out = new Float64Array(B * T * D);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let h = 0; h < H; h++)
        for (let c = 0; c < hd; c++)
          out[((b * H + h) * T + t) * hd + c] = src[(b * T + t) * width + part * D + h * hd + c];
  return out;
}

/** Inverse of toHeads: [B·H, T, hd] written to columns part·D … (part+1)·D of [B·T, width]. */
export function fromHeads(
  x: Float64Array,
  B: number,
  T: number,
  D: number,
  H: number,
  into: Float64Array,
  width: number,
  part: number,
): void {
  const hd = D / H;
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let h = 0; h < H; h++)
        for (let c = 0; c < hd; c++)
          into[(b * T + t) * width + part * D + h * hd + c] = x[((b * H + h) * T + t) * hd + c];
}

function addInto(a: Float64Array, b: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
  return a;
}

function forwardSaved(
  c: GptConfig,
  layout: ParamLayout,
  params: Float64Array,
  inputs: Int32Array,
  targets: Int32Array,
): ForwardResult & { saved: Saved } {
  const D = c.dModel;
  const T = c.context;
  const H = c.heads;
  const rows = inputs.length;
  const B = rows / T;
  if (!Number.isInteger(B)) throw new Error(`${rows} tokens are not whole rows of ${T}.`);
  const p = (t: ParamTensor) => view(params, t);
  const dims: AttentionDims = { bh: B * H, n: T, d: D / H, causal: true };
  let x = embeddingForward(inputs, p(layout.wte), p(layout.wpe), { batch: B, seq: T, channels: D, vocab: c.vocab });
  const blocks: BlockSaved[] = [];
  for (const bl of layout.blocks) {
    const ln1 = layerNormForward(x, p(bl.ln1g), p(bl.ln1b), rows, D);
    const qkv = linearForward(ln1.y, p(bl.wqkv), p(bl.bqkv), rows, D, 3 * D);
    const [q, k, v] = [0, 1, 2].map((part) => toHeads(qkv, B, T, D, H, 3 * D, part));
    const { out: o, lse } = attentionForward64(q, k, v, dims);
    const att = new Float64Array(rows * D);
    fromHeads(o, B, T, D, H, att, D, 0);
    const x2 = addInto(linearForward(att, p(bl.wo), p(bl.bo), rows, D, D), x);
    const ln2 = layerNormForward(x2, p(bl.ln2g), p(bl.ln2b), rows, D);
    const z = linearForward(ln2.y, p(bl.wfc), null, rows, D, 4 * D);
    const act = geluForward(z, p(bl.bfc), rows, 4 * D);
    const x3 = addInto(linearForward(act, p(bl.wproj), p(bl.bproj), rows, 4 * D, D), x2);
    blocks.push({ x, ln1, q, k, v, o, lse, att, x2, ln2, z, act });
    x = x3;
  }
  const lnf = layerNormForward(x, p(layout.lnfg), p(layout.lnfb), rows, D);
  // Tied head: logits = h·wteᵀ.
  const logits = matmul64(lnf.y, p(layout.wte), { M: rows, N: c.vocab, K: D, transposeB: true });
  const ce = crossEntropyForward(logits, targets, rows, c.vocab);
  return { loss: ce.meanLoss, count: ce.scored, logits, saved: { blocks, xf: x, lnf, logsumexp: ce.logsumexp } };
}

/** Loss and logits of one batch (inputs and targets [rows·T], targets −1 where ignored). */
export function gptForward(c: GptConfig, params: Float64Array, inputs: Int32Array, targets: Int32Array): ForwardResult {
  const { loss, count, logits } = forwardSaved(c, paramLayout(c), params, inputs, targets);
  return { loss, count, logits };
}

/** Loss, logits and ∂loss/∂params (flat layout) of one batch. */
export function gptForwardBackward(
  c: GptConfig,
  params: Float64Array,
  inputs: Int32Array,
  targets: Int32Array,
): ForwardResult & { grads: Float64Array } {
  const layout = paramLayout(c);
  const { loss, count, logits, saved } = forwardSaved(c, layout, params, inputs, targets);
  const D = c.dModel;
  const T = c.context;
  const H = c.heads;
  const V = c.vocab;
  const rows = inputs.length;
  const B = rows / T;
  const dims: AttentionDims = { bh: B * H, n: T, d: D / H, causal: true };
  const grads = new Float64Array(layout.total);
  const p = (t: ParamTensor) => view(params, t);
  const g = (t: ParamTensor) => view(grads, t);
  const put = (t: ParamTensor, v: Float64Array) => addInto(g(t), v);

  const dlogits = crossEntropyBackward(logits, targets, rows, V, 1, saved.logsumexp);
  // Head: dh = dlogits·wte; dwte += dlogitsᵀ·h.
  const dh = matmul64(dlogits, p(layout.wte), { M: rows, N: D, K: V });
  put(layout.wte, matmul64(dlogits, saved.lnf.y, { M: V, N: D, K: rows, transposeA: true }));
  const lnf = layerNormBackward(dh, saved.xf, p(layout.lnfg), saved.lnf.mean, saved.lnf.rstd, rows, D);
  put(layout.lnfg, lnf.dgamma);
  put(layout.lnfb, lnf.dbeta);
  let dx = lnf.dx;
  for (let l = layout.blocks.length - 1; l >= 0; l--) {
    const bl = layout.blocks[l];
    const s = saved.blocks[l];
    // x3 = x2 + MLP(LN2(x2)): the residual passes dx straight through to dx2.
    const dact = matmul64(dx, p(bl.wproj), { M: rows, N: 4 * D, K: D, transposeB: true });
    put(bl.wproj, matmul64(s.act, dx, { M: 4 * D, N: D, K: rows, transposeA: true }));
    put(bl.bproj, linearBiasGrad(dx, rows, D));
    const dz = geluBackward(s.z, p(bl.bfc), dact, rows, 4 * D);
    put(bl.bfc, linearBiasGrad(dz, rows, 4 * D));
    put(bl.wfc, matmul64(s.ln2.y, dz, { M: D, N: 4 * D, K: rows, transposeA: true }));
    const dln2 = matmul64(dz, p(bl.wfc), { M: rows, N: D, K: 4 * D, transposeB: true });
    const ln2 = layerNormBackward(dln2, s.x2, p(bl.ln2g), s.ln2.mean, s.ln2.rstd, rows, D);
    put(bl.ln2g, ln2.dgamma);
    put(bl.ln2b, ln2.dbeta);
    const dx2 = addInto(ln2.dx, dx);
    // x2 = x + Attn(LN1(x)).
    const datt = matmul64(dx2, p(bl.wo), { M: rows, N: D, K: D, transposeB: true });
    put(bl.wo, matmul64(s.att, dx2, { M: D, N: D, K: rows, transposeA: true }));
    put(bl.bo, linearBiasGrad(dx2, rows, D));
    const dO = toHeads(datt, B, T, D, H, D, 0);
    const { dq, dk, dv } = attentionBackward64(s.q, s.k, s.v, s.o, s.lse, dO, dims);
    const dqkv = new Float64Array(rows * 3 * D);
    fromHeads(dq, B, T, D, H, dqkv, 3 * D, 0);
    fromHeads(dk, B, T, D, H, dqkv, 3 * D, 1);
    fromHeads(dv, B, T, D, H, dqkv, 3 * D, 2);
    put(bl.wqkv, matmul64(s.ln1.y, dqkv, { M: D, N: 3 * D, K: rows, transposeA: true }));
    put(bl.bqkv, linearBiasGrad(dqkv, rows, 3 * D));
    const dln1 = matmul64(dqkv, p(bl.wqkv), { M: rows, N: D, K: 3 * D, transposeB: true });
    const ln1 = layerNormBackward(dln1, s.x, p(bl.ln1g), s.ln1.mean, s.ln1.rstd, rows, D);
    put(bl.ln1g, ln1.dgamma);
    put(bl.ln1b, ln1.dbeta);
    dx = addInto(ln1.dx, dx2);
  }
  const emb = embeddingBackward(inputs, dx, { batch: B, seq: T, channels: D, vocab: V });
  put(layout.wte, emb.dwte);
  put(layout.wpe, emb.dwpe);
  return { loss, count, logits, grads };
}
