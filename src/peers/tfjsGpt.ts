/**
 * The same GPT in TensorFlow.js (tfjs-core autograd, tf.train.adam on the WebGPU backend): a peer
 * that shares nothing with our code but the flat weights it starts from and the batches it sees.
 * Its losses, step by step, are held to ours (test/peers/tfjs-gpt.test.ts), so a bug in our
 * backward and a bug in tfjs would have to agree to pass.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type { GptConfig } from '../model/config';
import { paramLayout, type ParamTensor } from '../model/layout';
import type { Batch } from '../model/task';
import { loadTfjs, type TfjsPeer } from './tfjs';

type Tensor = TfCore.Tensor;

export interface TfjsGptOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export interface TfjsGpt {
  peer: TfjsPeer;
  /** One Adam step on a batch; resolves with the loss before the update. */
  step(batch: Batch): Promise<number>;
  /** The current weights in the flat layout. */
  readParams(): Promise<Float32Array>;
  dispose(): void;
}

const LN_EPS = 1e-5;
const GELU_K = Math.sqrt(2 / Math.PI);

export async function createTfjsGpt(c: GptConfig, params: Float32Array, o: TfjsGptOptions): Promise<TfjsGpt> {
  const peer = await loadTfjs();
  // tfjs-core registers no gradient functions by itself (tfjs, the umbrella package, does).
  await import('@tensorflow/tfjs-core/dist/register_all_gradients');
  const { tf } = peer;
  const layout = paramLayout(c);
  const vars = new Map<ParamTensor, TfCore.Variable>();
  for (const t of layout.tensors)
    vars.set(t, tf.variable(tf.tensor(params.slice(t.offset, t.offset + t.size), [...t.shape]), true, t.name));
  const v = (t: ParamTensor) => vars.get(t)!;
  const D = c.dModel;
  const H = c.heads;
  const hd = D / H;
  const T = c.context;

  const layerNorm = (x: Tensor, g: Tensor, b: Tensor) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, LN_EPS))), g), b);
  };
  const gelu = (x: Tensor) =>
    tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(GELU_K, tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));
  // Causal mask: −1e9 above the diagonal, added to the scores before the softmax.
  const mask = tf.keep(tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9));

  const loss = (inputs: Tensor, targets: Tensor, weights: Tensor, count: number, B: number): TfCore.Scalar => {
    const pos = tf.tile(tf.slice(v(layout.wpe), [0, 0], [T, D]), [B, 1]);
    let x: Tensor = tf.add(tf.gather(v(layout.wte), inputs), pos);
    for (const bl of layout.blocks) {
      const a = layerNorm(x, v(bl.ln1g), v(bl.ln1b));
      const qkv = tf.add(tf.matMul(a as TfCore.Tensor2D, v(bl.wqkv) as TfCore.Tensor2D), v(bl.bqkv));
      const heads = (part: number) =>
        tf.transpose(tf.reshape(tf.slice(qkv, [0, part * D], [B * T, D]), [B, T, H, hd]), [0, 2, 1, 3]);
      const scores = tf.add(
        tf.mul(tf.matMul(heads(0) as TfCore.Tensor4D, heads(1) as TfCore.Tensor4D, false, true), 1 / Math.sqrt(hd)),
        mask,
      );
      const att = tf.matMul(tf.softmax(scores) as TfCore.Tensor4D, heads(2) as TfCore.Tensor4D);
      const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [B * T, D]);
      const x2 = tf.add(x, tf.add(tf.matMul(merged as TfCore.Tensor2D, v(bl.wo) as TfCore.Tensor2D), v(bl.bo)));
      const m = layerNorm(x2, v(bl.ln2g), v(bl.ln2b));
      const act = gelu(tf.add(tf.matMul(m as TfCore.Tensor2D, v(bl.wfc) as TfCore.Tensor2D), v(bl.bfc)));
      x = tf.add(x2, tf.add(tf.matMul(act as TfCore.Tensor2D, v(bl.wproj) as TfCore.Tensor2D), v(bl.bproj)));
    }
    const h = layerNorm(x, v(layout.lnfg), v(layout.lnfb));
    const logits = tf.matMul(h as TfCore.Tensor2D, v(layout.wte) as TfCore.Tensor2D, false, true);
    const logp = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(logp, tf.oneHot(targets as TfCore.Tensor1D, c.vocab)), -1);
    return tf.div(tf.neg(tf.sum(tf.mul(picked, weights))), count) as TfCore.Scalar;
  };

  const optimizer = tf.train.adam(o.lr, o.beta1, o.beta2, o.eps);
  const varList = [...vars.values()];

  return {
    peer,
    async step(batch) {
      const count = batch.targets.reduce((n, t) => n + (t >= 0 ? 1 : 0), 0);
      const B = batch.rows;
      const inputs = tf.tensor1d(batch.inputs, 'int32');
      const targets = tf.tensor1d(
        batch.targets.map((t) => Math.max(0, t)),
        'int32',
      );
      const weights = tf.tensor1d(Float32Array.from(batch.targets, (t) => (t >= 0 ? 1 : 0)));
      try {
        const l = optimizer.minimize(() => loss(inputs, targets, weights, count, B), true, varList);
        const value = (await l!.data())[0];
        l!.dispose();
        return value;
      } finally {
        tf.dispose([inputs, targets, weights]);
      }
    },
    async readParams() {
      const out = new Float32Array(layout.total);
      for (const t of layout.tensors) out.set(await v(t).data(), t.offset);
      return out;
    },
    dispose() {
      optimizer.dispose();
      tf.dispose(varList);
      mask.dispose();
    },
  };
}
