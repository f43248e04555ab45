/**
 * Model-scale cost of one decode step, from published peaks (no measurement): why a 70B model is
 * served quantized. One step streams every weight once (bytes = parameters × bytes per weight)
 * and does 2 FLOPs per weight per sequence in the batch, so
 *   time ≈ max(weight bytes / bandwidth, 2·P·b / peak)
 * (KV-cache reads and activations ignored: at short contexts the weights dominate). The batch at
 * which the two are equal is where weight-only quantization stops paying:
 *   b* = peak · (bytes per weight) / (2 · bandwidth).
 * Weight-only formats (W8A16, W4A16) still multiply in 16-bit, so fewer bytes lower b*; W8A8
 * (SmoothQuant, FP8) quantizes the activations too and runs on the 8-bit tensor cores, doubling
 * the peak as well.
 */

import { findGpu, type GpuSpec } from '../../catalog/gpus';

export interface ServingGpu {
  name: string;
  memoryGB: number;
  bandwidthGBps: number;
  /** Dense tensor-core peaks, TFLOP/s (TOPS for int8). */
  bf16Tflops: number;
  int8Tops: number;
  source: string;
}

/**
 * A catalog GPU (src/catalog/gpus.ts) for the decode cost. Every datacenter GPU in the catalog
 * doubles its dense BF16 rate at INT8/FP8 (their datasheets: H100 989.5 → 1,979, A100 312 → 624),
 * so the 8-bit peak is 2 × BF16. GPUs without a published matrix-unit figure fall back to FP32.
 */
export function servingGpuOf(g: GpuSpec): ServingGpu {
  const bf16 = g.bf16Tflops ?? g.fp32Tflops;
  return {
    name: g.name,
    memoryGB: g.memoryGB,
    bandwidthGBps: g.bandwidthGBps,
    bf16Tflops: bf16,
    int8Tops: g.bf16Tflops ? 2 * bf16 : bf16,
    source: g.source.split(/[(;]/)[0].trim(),
  };
}

/** NVIDIA H100 SXM from the catalog: 80 GB HBM3 at 3.35 TB/s; BF16 989.5 TFLOPS and INT8 1,979 TOPS dense. */
export const H100: ServingGpu = servingGpuOf(findGpu('h100-sxm')!);

export interface ServingFormat {
  id: string;
  label: string;
  bytesPerWeight: number;
  /** Which tensor-core peak the matmuls run at. */
  math: 'bf16' | 'int8';
  note: string;
}

export const SERVING_FORMATS: ServingFormat[] = [
  { id: 'bf16', label: 'BF16', bytesPerWeight: 2, math: 'bf16', note: 'the unquantized baseline' },
  {
    id: 'w8a16',
    label: 'W8A16 (int8 weights)',
    bytesPerWeight: 1 + 2 / 128,
    math: 'bf16',
    note: 'weight-only, one f16 scale per 128 weights',
  },
  {
    id: 'w8a8',
    label: 'W8A8 (int8/FP8 weights and activations)',
    bytesPerWeight: 1,
    math: 'int8',
    note: 'activations quantized too: 8-bit tensor cores',
  },
  {
    id: 'w4a16',
    label: 'W4A16 (AWQ/GPTQ int4, g128)',
    bytesPerWeight: 0.5 + 2.5 / 128,
    math: 'bf16',
    note: 'f16 scale + 4-bit zero point per 128 weights',
  },
];

export interface StepCost {
  weightGB: number;
  /** GPUs of `gpu.memoryGB` needed just to hold the weights (no KV cache). */
  gpus: number;
  memoryMs: number;
  computeMs: number;
  /** The larger of the two: the step's lower bound. */
  ms: number;
  bound: 'memory' | 'compute';
  /** Batch where compute time reaches weight-streaming time. */
  crossoverBatch: number;
}

export function decodeStepCost(params: number, f: ServingFormat, batch: number, gpu: ServingGpu = H100): StepCost {
  const bytes = params * f.bytesPerWeight;
  const peak = (f.math === 'int8' ? gpu.int8Tops : gpu.bf16Tflops) * 1e12;
  const bw = gpu.bandwidthGBps * 1e9;
  const memoryMs = (bytes / bw) * 1e3;
  const computeMs = ((2 * params * batch) / peak) * 1e3;
  return {
    weightGB: bytes / 1e9,
    gpus: Math.ceil(bytes / 1e9 / gpu.memoryGB),
    memoryMs,
    computeMs,
    ms: Math.max(memoryMs, computeMs),
    bound: memoryMs >= computeMs ? 'memory' : 'compute',
    crossoverBatch: (peak * f.bytesPerWeight) / (2 * bw),
  };
}
