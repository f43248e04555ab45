/**
 * Transformer shapes and their parameter counts. The count is the GPT formula of Narayanan et al.
 * 2021 ("Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM", §5.1):
 * per layer 12h² (QKV 3h², attention output h², MLP 8h² with a 4h hidden) + 13h (biases and two
 * LayerNorms), a V·h token embedding shared with the output layer, and 2h for the final LayerNorm.
 * Llama-style layers (SwiGLU, grouped-query attention) differ in detail; presets that borrow their
 * shapes say so, and the lab always shows the count this formula gives, never a marketing name.
 */
export interface ModelShape {
  /** Transformer layers L. */
  layers: number;
  /** Hidden size h. */
  hidden: number;
  /** Attention heads a. */
  heads: number;
  /** Vocabulary size V. */
  vocab: number;
  /** Training sequence length s (tokens). */
  seq: number;
}

export interface ModelPreset extends ModelShape {
  id: string;
  name: string;
  /** Where the shape comes from. */
  source: string;
}

export const MODEL_PRESETS: readonly ModelPreset[] = [
  { id: '1b', name: '1.3B (GPT-3 XL shape)', layers: 24, hidden: 2048, heads: 16, vocab: 50257, seq: 2048, source: 'Brown et al. 2020, Table 2.1 (GPT-3 XL; the table lists 24 heads of 128, which does not make 2048: our correction, 16 heads of 128)' },
  { id: '7b', name: '6.7B (GPT-3 6.7B shape)', layers: 32, hidden: 4096, heads: 32, vocab: 50257, seq: 2048, source: 'Brown et al. 2020, Table 2.1' },
  { id: '13b', name: '13B (Llama 2 13B dims)', layers: 40, hidden: 5120, heads: 40, vocab: 32000, seq: 4096, source: 'Touvron et al. 2023 (Llama 2): L 40, h 5120, 40 heads; counted with the GPT formula' },
  { id: '70b', name: '70B (Llama 2 70B dims)', layers: 80, hidden: 8192, heads: 64, vocab: 32000, seq: 4096, source: 'Touvron et al. 2023 (Llama 2): L 80, h 8192, 64 heads; counted with the GPT formula' },
  { id: '175b', name: '175B (GPT-3 175B shape)', layers: 96, hidden: 12288, heads: 96, vocab: 50257, seq: 2048, source: 'Brown et al. 2020, Table 2.1' },
  { id: '405b', name: '405B (Llama 3.1 405B dims)', layers: 126, hidden: 16384, heads: 128, vocab: 128256, seq: 8192, source: 'Llama 3 report (Meta 2024), Table 3: L 126, h 16384, 128 heads; counted with the GPT formula' },
];

export function findModel(id: string): ModelPreset | undefined {
  return MODEL_PRESETS.find((m) => m.id === id);
}

/** Parameters of one transformer layer: 12h² + 13h. */
export function layerParams(h: number): number {
  return 12 * h * h + 13 * h;
}

/** Total parameters Ψ = 12·L·h² + 13·L·h + V·h + 2h (tied embedding, final LayerNorm). */
export function paramCount(m: Pick<ModelShape, 'layers' | 'hidden' | 'vocab'>): number {
  return m.layers * layerParams(m.hidden) + m.vocab * m.hidden + 2 * m.hidden;
}

/** Problems with a shape, each naming the field; empty when the shape is usable. */
export function shapeProblems(m: ModelShape): string[] {
  const out: string[] = [];
  for (const k of ['layers', 'hidden', 'heads', 'vocab', 'seq'] as const) {
    if (!Number.isInteger(m[k]) || m[k] < 1) out.push(`${k} must be a positive whole number (got ${m[k]})`);
  }
  if (out.length === 0 && m.hidden % m.heads !== 0) out.push(`hidden size ${m.hidden} is not divisible by ${m.heads} heads`);
  return out;
}
