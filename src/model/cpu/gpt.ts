import type { GptConfig } from '../config';
import { paramLayout, view, type ParamLayout, type ParamTensor } from '../layout';
import { linearBackward, linearForward } from './linear';
import {
  attentionBackward,
  attentionForward,
  crossEntropy,
  gelu,
  geluGrad,
  layerNormBackward,
  layerNormForward,
  type AttentionSaved,
  type LayerNormSaved,
} from './layers';

/**
 * The whole GPT forward and backward in float64 on the CPU: the reference the GPU training step
 * and the tfjs peer are held to, and the subject of the whole-model gradient check. Parameters and
 * gradients use the flat layout (src/model/layout.ts).
 */

interface BlockSaved {
  x: Float64Array;
  ln1: LayerNormSaved;
  qkv: Float64Array;
  att: AttentionSaved;
  x2: Float64Array;
  ln2: LayerNormSaved;
  pre: Float64Array;
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
  lnf: LayerNormSaved;
  dlogits: Float64Array;
}

function forwardSaved(c: GptConfig, layout: ParamLayout, params: Float64Array, inputs: Int32Array, targets: Int32Array): ForwardResult & { saved: Saved } {
  const D = c.dModel;
  const T = c.context;
  const rows = inputs.length;
  const B = rows / T;
  if (!Number.isInteger(B)) throw new Error(`${rows} tokens are not whole rows of ${T}.`);
  const p = (t: ParamTensor) => view(params, t);
  const wte = p(layout.wte);
  const wpe = p(layout.wpe);
  // Embedding gather: token row plus position row.
  let x = new Float64Array(rows * D);
  for (let r = 0; r < rows; r++) {
    const tok = inputs[r];
    if (tok < 0 || tok >= c.vocab) throw new Error(`Token ${tok} at ${r} is outside the vocabulary of ${c.vocab}.`);
    const pos = r % T;
    for (let i = 0; i < D; i++) x[r * D + i] = wte[tok * D + i] + wpe[pos * D + i];
  }
  const blocks: BlockSaved[] = [];
  for (const bl of layout.blocks) {
    const ln1 = layerNormForward(x, p(bl.ln1g), p(bl.ln1b), rows, D);
    const qkv = linearForward(ln1.y, p(bl.wqkv), p(bl.bqkv), rows, D, 3 * D);
    const att = attentionForward(qkv, B, T, D, c.heads);
    const proj = linearForward(att.out, p(bl.wo), p(bl.bo), rows, D, D);
    const x2 = new Float64Array(rows * D);
    for (let i = 0; i < x2.length; i++) x2[i] = x[i] + proj[i];
    const ln2 = layerNormForward(x2, p(bl.ln2g), p(bl.ln2b), rows, D);
    const pre = linearForward(ln2.y, p(bl.wfc), p(bl.bfc), rows, D, 4 * D);
    const act = pre.map(gelu);
    const mlp = linearForward(act, p(bl.wproj), p(bl.bproj), rows, 4 * D, D);
    const x3 = new Float64Array(rows * D);
    for (let i = 0; i < x3.length; i++) x3[i] = x2[i] + mlp[i];
    blocks.push({ x, ln1, qkv, att, x2, ln2, pre, act });
    x = x3;
  }
  const lnf = layerNormForward(x, p(layout.lnfg), p(layout.lnfb), rows, D);
  // Tied head: logits = h·wteᵀ.
  const V = c.vocab;
  const logits = new Float64Array(rows * V);
  for (let r = 0; r < rows; r++)
    for (let v = 0; v < V; v++) {
      let s = 0;
      for (let i = 0; i < D; i++) s += lnf.y[r * D + i] * wte[v * D + i];
      logits[r * V + v] = s;
    }
  const ce = crossEntropy(logits, targets, V);
  return { loss: ce.loss, count: ce.count, logits, saved: { blocks, xf: x, lnf, dlogits: ce.dlogits } };
}

/** Loss and logits of one batch (inputs and targets [rows·T], targets −1 where ignored). */
export function gptForward(c: GptConfig, params: Float64Array, inputs: Int32Array, targets: Int32Array): ForwardResult {
  const { loss, count, logits } = forwardSaved(c, paramLayout(c), params, inputs, targets);
  return { loss, count, logits };
}

/** Loss, logits and ∂loss/∂params (flat layout) of one batch. */
export function gptForwardBackward(c: GptConfig, params: Float64Array, inputs: Int32Array, targets: Int32Array): ForwardResult & { grads: Float64Array } {
  const layout = paramLayout(c);
  const { loss, count, logits, saved } = forwardSaved(c, layout, params, inputs, targets);
  const D = c.dModel;
  const T = c.context;
  const V = c.vocab;
  const rows = inputs.length;
  const B = rows / T;
  const grads = new Float64Array(layout.total);
  const p = (t: ParamTensor) => view(params, t);
  const g = (t: ParamTensor) => view(grads, t);
  const wte = p(layout.wte);
  const dwte = g(layout.wte);
  // Head: dh = dlogits·wte; dwte += dlogitsᵀ·h.
  const dh = new Float64Array(rows * D);
  for (let r = 0; r < rows; r++)
    for (let v = 0; v < V; v++) {
      const d = saved.dlogits[r * V + v];
      if (d === 0) continue;
      for (let i = 0; i < D; i++) {
        dh[r * D + i] += d * wte[v * D + i];
        dwte[v * D + i] += d * saved.lnf.y[r * D + i];
      }
    }
  let dx = new Float64Array(rows * D);
  layerNormBackward(dh, saved.xf, saved.lnf, p(layout.lnfg), rows, D, dx, g(layout.lnfg), g(layout.lnfb));
  for (let l = layout.blocks.length - 1; l >= 0; l--) {
    const bl = layout.blocks[l];
    const s = saved.blocks[l];
    // x3 = x2 + MLP(LN2(x2)): the residual passes dx straight to dx2.
    const dx2 = dx.slice();
    const dact = new Float64Array(rows * 4 * D);
    linearBackward(dx, s.act, p(bl.wproj), rows, 4 * D, D, dact, g(bl.wproj), g(bl.bproj));
    const dpre = dact.map((v, i) => v * geluGrad(s.pre[i]));
    const dln2 = new Float64Array(rows * D);
    linearBackward(dpre, s.ln2.y, p(bl.wfc), rows, D, 4 * D, dln2, g(bl.wfc), g(bl.bfc));
    layerNormBackward(dln2, s.x2, s.ln2, p(bl.ln2g), rows, D, dx2, g(bl.ln2g), g(bl.ln2b));
    // x2 = x + Attn(LN1(x)).
    const dxIn = dx2.slice();
    const datt = new Float64Array(rows * D);
    linearBackward(dx2, s.att.out, p(bl.wo), rows, D, D, datt, g(bl.wo), g(bl.bo));
    const dqkv = new Float64Array(rows * 3 * D);
    attentionBackward(datt, s.qkv, s.att, B, T, D, c.heads, dqkv);
    const dln1 = new Float64Array(rows * D);
    linearBackward(dqkv, s.ln1.y, p(bl.wqkv), rows, D, 3 * D, dln1, g(bl.wqkv), g(bl.bqkv));
    layerNormBackward(dln1, s.x, s.ln1, p(bl.ln1g), rows, D, dxIn, g(bl.ln1g), g(bl.ln1b));
    dx = dxIn;
  }
  // Embedding scatter-add: each row's gradient goes to its token's and its position's rows.
  const dwpe = g(layout.wpe);
  for (let r = 0; r < rows; r++) {
    const tok = inputs[r];
    const pos = r % T;
    for (let i = 0; i < D; i++) {
      dwte[tok * D + i] += dx[r * D + i];
      dwpe[pos * D + i] += dx[r * D + i];
    }
  }
  return { loss, count, logits, grads };
}
