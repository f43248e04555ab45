import type { GptConfig } from './config';
import { paramLayout } from './layout';
import { Rng } from './rng';

/** GPT-2's initialisation scale (Radford et al. 2019; nanoGPT): N(0, 0.02²) for weights and embeddings. */
export const INIT_STD = 0.02;

/**
 * Seeded initial weights in the flat layout: normal(0, 0.02) matrices and embeddings; the two
 * projections that add into the residual stream (attention output, MLP down) scaled by
 * 1/√(2L) so the residual's variance does not grow with depth (GPT-2); zero biases; unit gains.
 * The same seed gives the same float32 values everywhere, so our trainer and the tfjs peer start
 * from identical weights.
 */
export function initParams(c: GptConfig, seed: number): Float32Array<ArrayBuffer> {
  const layout = paramLayout(c);
  const out = new Float32Array(layout.total);
  const rng = new Rng(seed);
  const residualStd = INIT_STD / Math.sqrt(2 * c.layers);
  for (const t of layout.tensors) {
    const v = out.subarray(t.offset, t.offset + t.size);
    if (t.init === 'one') v.fill(1);
    else if (t.init === 'normal' || t.init === 'residual') {
      const std = t.init === 'residual' ? residualStd : INIT_STD;
      for (let i = 0; i < v.length; i++) v[i] = rng.normal() * std;
    }
  }
  return out;
}
