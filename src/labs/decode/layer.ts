/**
 * The synthetic layer every part of the lab (run, sweep, bench) quantizes the same way: seeded
 * weights and activations with outlier channels (kernels/quant/inputs.ts), each format quantized
 * on the CPU, int4 optionally with AWQ scales searched on a separate calibration batch.
 */
import {
  activations,
  awqSearch,
  channelGains,
  layerWeights,
  quantize,
  scaleColumns,
  unscaleActivations,
  type AwqSearch,
  type PackedWeights,
  type QuantVariant,
} from '../../kernels/quant';

/** Calibration rows for the AWQ search (AWQ uses ~128 sequences; 16 rows keep the CPU search quick). */
export const CALIBRATION_ROWS = 16;

export interface Layer {
  N: number;
  K: number;
  w: Float32Array;
  gains: Float32Array;
  calib: Float32Array;
}

export function makeLayer(N: number, K: number, seed = 1): Layer {
  const gains = channelGains(K, seed + 6);
  return { N, K, w: layerWeights(N, K, seed), gains, calib: activations(CALIBRATION_ROWS, K, gains, seed + 100) };
}

/** Decode-time activations (held out: not the calibration batch). */
export function layerInputs(layer: Layer, M: number, seed = 2): Float32Array {
  return activations(M, layer.K, layer.gains, seed);
}

export interface Format {
  variant: QuantVariant;
  packed: PackedWeights;
  /** The AWQ search when it was used (int4 formats with AWQ on). */
  awq: AwqSearch | null;
  /** Per-input-channel scales s the activations are divided by (AWQ), else null. */
  prescale: Float32Array | null;
}

export function isInt4(v: QuantVariant): boolean {
  return v === 'int4' || v === 'int4-zp';
}

export function makeFormat(layer: Layer, variant: QuantVariant, group: number, useAwq: boolean): Format {
  const { N, K, w } = layer;
  if (!useAwq || !isInt4(variant))
    return { variant, packed: quantize(variant, w, N, K, group), awq: null, prescale: null };
  const awq = awqSearch(w, N, K, layer.calib, CALIBRATION_ROWS, group, variant === 'int4-zp', {
    steps: 11,
    sampleRows: Math.min(N, 128),
  });
  if (awq.alpha === 0) return { variant, packed: quantize(variant, w, N, K, group), awq, prescale: null };
  return {
    variant,
    packed: quantize(variant, scaleColumns(w, N, K, awq.scales), N, K, group),
    awq,
    prescale: awq.scales,
  };
}

/** What the kernel is fed: x, or x/s for AWQ-scaled weights (folded into the previous op in a real model). */
export function formatInputs(f: Format, x: Float32Array, M: number, K: number): Float32Array {
  return f.prescale ? unscaleActivations(x, M, K, f.prescale) : x;
}
