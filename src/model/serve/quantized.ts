import { awqSearch } from '../../kernels/quant/awq';
import { dequantize, packedBytes, quantize } from '../../kernels/quant/quantize';
import type { PackedWeights, QuantVariant } from '../../kernels/quant/types';
import { view, type ParamTensor } from '../layout';
import { ArrayKv, cachedForward, type LinearName, type ServeModel } from './cachedForward';

/**
 * The trained GPT with its linear layers stored in one of the decode lab's weight formats
 * (src/kernels/quant): f32, f16, int8 per output channel, int4 group-wise with zero points by
 * round-to-nearest, and the same int4 with AWQ scales searched on the model's own activations.
 * The model keeps the weights the kernels multiply by (the dequantized values, and for AWQ the
 * scaled weights with the activation scaling folded back in), so its float64 forward is what a
 * quantized GEMV computes up to float32 rounding. Embeddings (also the tied head), biases and
 * LayerNorms stay f32, as in llama.cpp's and AWQ's usual recipes; their bytes are counted.
 */
export type ModelVariant = 'f32' | 'f16' | 'int8' | 'int4' | 'int4-awq';
export const MODEL_VARIANTS: readonly ModelVariant[] = ['f32', 'f16', 'int8', 'int4', 'int4-awq'];
export const VARIANT_NAMES: Record<ModelVariant, string> = {
  f32: 'f32',
  f16: 'f16',
  int8: 'int8 per channel',
  int4: 'int4 g32 RTN',
  'int4-awq': 'int4 g32 AWQ',
};

/** int4 group size: the smallest the kernels offer, since d_model is 32 in the shipped models. */
export const INT4_GROUP = 32;

export interface QuantizedModel {
  variant: ModelVariant;
  model: ServeModel;
  /** Bytes of all weights as stored: packed matrices plus the f32 rest. */
  weightBytes: number;
  /** AWQ's chosen α per linear layer (layer.name), when searched. */
  awqAlpha: Record<string, number>;
  /**
   * Per linear layer (layer.name), the packed weights as the GEMV kernels read them ([N, K], y =
   * x·Wᵀ) and, for AWQ, the per-input-channel scales s: the kernel then multiplies x/s by the
   * packed (scaled) weights. What the GPU forward uploads.
   */
  packed: Record<string, { weights: PackedWeights; awqScales: Float32Array | null }>;
}

const LINEARS: LinearName[] = ['wqkv', 'wo', 'wfc', 'wproj'];

/** A [K, N] (in, out) matrix of the layout as the kernels' [N, K] row-major W. */
function toRows(w: Float64Array, K: number, N: number): Float32Array {
  const out = new Float32Array(N * K);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) out[n * K + k] = w[k * N + n];
  return out;
}

/** Activations entering every linear layer over the calibration sequences, [rows, K] per layer.name. */
export function calibrationInputs(
  m: ServeModel,
  sequences: number[][],
): Map<string, { x: Float64Array; rows: number }> {
  const parts = new Map<string, Float64Array[]>();
  for (const seq of sequences) {
    const cache = new ArrayKv(m.config.layers, m.config.dModel, m.config.context);
    cachedForward(m, cache, seq, (layer, name, x) => {
      const key = `${layer}.${name}`;
      if (!parts.has(key)) parts.set(key, []);
      parts.get(key)?.push(x.slice());
    });
  }
  const out = new Map<string, { x: Float64Array; rows: number }>();
  for (const [key, list] of parts) {
    const total = list.reduce((a, x) => a + x.length, 0);
    const x = new Float64Array(total);
    let o = 0;
    for (const part of list) {
      x.set(part, o);
      o += part.length;
    }
    const K = key.endsWith('wproj') ? 4 * m.config.dModel : m.config.dModel;
    out.set(key, { x, rows: total / K });
  }
  return out;
}

/**
 * Quantizes every block's four matrices. `calibration` (token sequences) is needed for AWQ only;
 * pass prompts the model is not evaluated on.
 */
export function quantizeModel(m: ServeModel, variant: ModelVariant, calibration: number[][] = []): QuantizedModel {
  const params = m.params.slice();
  let quantBytes = 0;
  let quantCount = 0;
  const awqAlpha: Record<string, number> = {};
  const packedAll: QuantizedModel['packed'] = {};
  const calib = variant === 'int4-awq' ? calibrationInputs(m, calibration) : null;
  if (variant === 'int4-awq' && !calibration.length) throw new RangeError('AWQ needs calibration prompts.');
  m.layout.blocks.forEach((bl, l) => {
    for (const name of LINEARS) {
      const t: ParamTensor = bl[name];
      const [K, N] = t.shape;
      const w = toRows(view(m.params, t), K, N);
      quantCount += t.size;
      if (variant === 'f32') {
        quantBytes += t.size * 4;
        packedAll[`${l}.${name}`] = { weights: quantize('f32', w, N, K, INT4_GROUP), awqScales: null };
        continue;
      }
      let eff: Float64Array;
      if (variant === 'int4-awq') {
        const c = calib?.get(`${l}.${name}`);
        if (!c) throw new Error(`no calibration activations for layer ${l} ${name}.`);
        const s = awqSearch(w, N, K, c.x, c.rows, INT4_GROUP, true, { steps: 11, sampleRows: N });
        awqAlpha[`${l}.${name}`] = s.alpha;
        const scaled = new Float32Array(N * K);
        for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) scaled[n * K + k] = w[n * K + k] * s.scales[k];
        const packed = quantize('int4-zp', scaled, N, K, INT4_GROUP);
        quantBytes += packedBytes(packed) + K * 4; // the per-channel scales travel with the layer
        packedAll[`${l}.${name}`] = { weights: packed, awqScales: s.scales };
        eff = dequantize(packed);
        // x·(W·diag(s))ᵀ applied to x/s: the weight seen by unscaled x is W_eff[n, k] / s_k.
        for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) eff[n * K + k] /= s.scales[k];
      } else {
        const kernelVariant: QuantVariant = variant === 'int4' ? 'int4-zp' : variant;
        const packed = quantize(kernelVariant, w, N, K, INT4_GROUP);
        quantBytes += packedBytes(packed);
        packedAll[`${l}.${name}`] = { weights: packed, awqScales: null };
        eff = dequantize(packed);
      }
      const dst = view(params, t);
      for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) dst[k * N + n] = eff[n * K + k];
    }
  });
  const weightBytes = quantBytes + (m.layout.total - quantCount) * 4;
  return {
    variant,
    model: { config: m.config, layout: m.layout, params },
    weightBytes,
    awqAlpha,
    packed: packedAll,
  };
}
