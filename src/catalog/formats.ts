/*
 * Weight formats a model is served in, shared by the serving, KV-cache, planner and decode
 * labs: bytes per weight (scales included) and the matrix-unit peak the matmuls run at.
 */
export type WeightFormat = 'bf16' | 'fp8' | 'int4';

export interface WeightFormatSpec {
  label: string;
  /** Bytes per weight, scales included. */
  bytesPerWeight: number;
  /** The matrix-unit peak the matmuls run at: FP8 weights run W8A8 on FP8 tensor cores; int4 is weight-only (W4A16). */
  compute: 'bf16' | 'fp8';
  note: string;
}

/**
 * Weight formats published deployments serve in. FP8 is one byte per weight: DeepSeek-V3 ships
 * its weights in FP8 with one f32 scale per 128×128 block (4 B per 16,384 weights, 0.02 %, left
 * out), Meta publishes Llama 3.1 405B in FP8 (row-wise scales, as small) to run on one 8 × H100
 * node; activations are quantized to FP8 too, so the matmuls run at the FP8 tensor-core peak. On a
 * GPU without FP8 units (A100) the weights stay 1 byte and are widened to 16-bit in the kernel
 * (weight-only), at the BF16 peak. Int4 is AWQ/GPTQ's W4A16 with groups of 128: an f16 scale and a
 * 4-bit zero point per 128 weights, 0.5 + 2.5/128 bytes, multiplied in 16-bit.
 */
export const WEIGHT_FORMATS: Record<WeightFormat, WeightFormatSpec> = {
  bf16: { label: 'BF16', bytesPerWeight: 2, compute: 'bf16', note: 'the checkpoint as trained' },
  fp8: {
    label: 'FP8 (W8A8)',
    bytesPerWeight: 1,
    compute: 'fp8',
    note: 'FP8 weights and activations on FP8 tensor cores (DeepSeek-V3 and Llama 3.1 405B FP8 checkpoints)',
  },
  int4: {
    label: 'int4 (W4A16, g128)',
    bytesPerWeight: 0.5 + 2.5 / 128,
    compute: 'bf16',
    note: 'AWQ/GPTQ: f16 scale + 4-bit zero point per 128 weights, dequantized to 16-bit for the multiply',
  },
};

export function isWeightFormat(s: string): s is WeightFormat {
  return Object.hasOwn(WEIGHT_FORMATS, s);
}

