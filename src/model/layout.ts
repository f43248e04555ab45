import type { GptConfig } from './config';

/**
 * Where each parameter tensor lives in one flat float32 array. One array (and one GPU buffer) for
 * all weights makes the optimizer one dispatch over everything, the global gradient norm one
 * reduction, and a checkpoint one copy. Matrices are stored [in, out] row-major, so a linear
 * layer is y = x·W + b with x [rows, in].
 */
export interface ParamTensor {
  name: string;
  shape: readonly number[];
  offset: number;
  size: number;
  /** Initialisation rule (GPT-2): normal weights, zero biases, unit LayerNorm gains. */
  init: 'normal' | 'residual' | 'zero' | 'one';
  /** AdamW decays matrices and embeddings only, never biases or LayerNorm parameters (nanoGPT). */
  decay: boolean;
}

export interface BlockLayout {
  ln1g: ParamTensor;
  ln1b: ParamTensor;
  /** Q, K and V projections side by side: [D, 3D]. */
  wqkv: ParamTensor;
  bqkv: ParamTensor;
  wo: ParamTensor;
  bo: ParamTensor;
  ln2g: ParamTensor;
  ln2b: ParamTensor;
  /** MLP up-projection [D, 4D]. */
  wfc: ParamTensor;
  bfc: ParamTensor;
  /** MLP down-projection [4D, D]. */
  wproj: ParamTensor;
  bproj: ParamTensor;
}

export interface ParamLayout {
  /** Token embedding [V, D], also the output head (tied). */
  wte: ParamTensor;
  /** Learned position embedding [T, D]. */
  wpe: ParamTensor;
  blocks: BlockLayout[];
  lnfg: ParamTensor;
  lnfb: ParamTensor;
  /** Every tensor in storage order. */
  tensors: ParamTensor[];
  /** Total float32 values = the parameter count N. */
  total: number;
}

export function paramLayout(c: GptConfig): ParamLayout {
  const D = c.dModel;
  const tensors: ParamTensor[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], init: ParamTensor['init'], decay: boolean): ParamTensor => {
    const size = shape.reduce((a, b) => a * b, 1);
    const t: ParamTensor = { name, shape, offset, size, init, decay };
    offset += size;
    tensors.push(t);
    return t;
  };
  const wte = add('wte', [c.vocab, D], 'normal', true);
  const wpe = add('wpe', [c.context, D], 'normal', true);
  const blocks: BlockLayout[] = [];
  for (let l = 0; l < c.layers; l++) {
    const p = `h${l}.`;
    blocks.push({
      ln1g: add(`${p}ln1.g`, [D], 'one', false),
      ln1b: add(`${p}ln1.b`, [D], 'zero', false),
      wqkv: add(`${p}attn.wqkv`, [D, 3 * D], 'normal', true),
      bqkv: add(`${p}attn.bqkv`, [3 * D], 'zero', false),
      wo: add(`${p}attn.wo`, [D, D], 'residual', true),
      bo: add(`${p}attn.bo`, [D], 'zero', false),
      ln2g: add(`${p}ln2.g`, [D], 'one', false),
      ln2b: add(`${p}ln2.b`, [D], 'zero', false),
      wfc: add(`${p}mlp.wfc`, [D, 4 * D], 'normal', true),
      bfc: add(`${p}mlp.bfc`, [4 * D], 'zero', false),
      wproj: add(`${p}mlp.wproj`, [4 * D, D], 'residual', true),
      bproj: add(`${p}mlp.bproj`, [D], 'zero', false),
    });
  }
  const lnfg = add('lnf.g', [D], 'one', false);
  const lnfb = add('lnf.b', [D], 'zero', false);
  return { wte, wpe, blocks, lnfg, lnfb, tensors, total: offset };
}

/** A tensor's values inside the flat array (a view, no copy). */
export function view<T extends Float32Array | Float64Array>(params: T, t: ParamTensor): T {
  return params.subarray(t.offset, t.offset + t.size) as T;
}
