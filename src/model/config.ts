/**
 * The GPT's size: a decoder with token and learned position embeddings, L pre-LayerNorm blocks
 * (causal multi-head attention, GELU MLP of width 4·D, residuals), a final LayerNorm and an output
 * head tied to the token embedding (nanoGPT's shape). Pure: the lab's meta, the trainer, the
 * tests and `npm run train` all read it.
 */
export interface GptConfig {
  /** Transformer blocks L (1–6). */
  layers: number;
  /** Model width D (32–256). */
  dModel: number;
  /** Attention heads H; D must be a multiple of H. */
  heads: number;
  /** Context length T in tokens (16–128). */
  context: number;
  /** Vocabulary size V (set by the task's tokenizer). */
  vocab: number;
  /** Sequences per optimizer step B. */
  batch: number;
}

/** The ranges the lab offers; the model code itself works for any positive sizes (tests use tinier ones). */
export const CONFIG_LIMITS = {
  layers: { min: 1, max: 6 },
  dModel: { min: 32, max: 256 },
  context: { min: 16, max: 128 },
  batch: { min: 1, max: 64 },
} as const;

/** A configuration that cannot be built, named by the field at fault. */
export class ModelConfigError extends Error {
  constructor(
    readonly field: keyof GptConfig,
    message: string,
  ) {
    super(message);
    this.name = 'ModelConfigError';
  }
}

export function headDim(c: GptConfig): number {
  return c.dModel / c.heads;
}

/**
 * Checks the structure every kernel relies on: positive integers, D divisible by H. `strict` also
 * holds the sizes to the lab's ranges (CONFIG_LIMITS); tests pass false for tiny gradient-check models.
 */
export function validateConfig(c: GptConfig, strict = true): GptConfig {
  for (const field of ['layers', 'dModel', 'heads', 'context', 'vocab', 'batch'] as const) {
    const v = c[field];
    if (!Number.isInteger(v) || v < 1)
      throw new ModelConfigError(field, `${field} must be a positive integer, got ${String(v)}.`);
  }
  if (c.dModel % c.heads !== 0)
    throw new ModelConfigError('heads', `d_model ${c.dModel} is not a multiple of heads ${c.heads}.`);
  if (strict) {
    for (const field of ['layers', 'dModel', 'context', 'batch'] as const) {
      const { min, max } = CONFIG_LIMITS[field];
      if (c[field] < min || c[field] > max)
        throw new ModelConfigError(field, `${field} ${c[field]} is outside ${min}–${max}.`);
    }
  }
  return c;
}
