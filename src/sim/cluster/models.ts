import { archOf, type ModelArch } from '../../catalog/config';
import { MODELS } from '../../catalog/models';
import { countParams } from '../../catalog/params';

/**
 * Transformer shapes for the training models, and their parameter counts. Presets come from the
 * catalog (src/catalog/models.ts: config.json fields, counted matrix by matrix, with sources); a
 * custom shape typed into the lab is counted with the GPT formula of Narayanan et al. 2021
 * ("Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM", §5.1): per
 * layer 12h² (QKV 3h², attention output h², MLP 8h² with a 4h hidden) + 13h (biases and two
 * LayerNorms), a V·h token embedding shared with the output layer, and 2h for the final LayerNorm.
 * Activation memory (memory.ts) uses Korthikanti et al.'s per-layer formula, derived for GPT
 * layers; for GQA/SwiGLU/MoE layers it is the usual approximation.
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
  /** Total parameters, where the catalog counted them (else the GPT formula). */
  params?: number;
  /** Parameters one token uses (MoE: its routed experts only, embeddings included as 6·Ψ counts them); 6 × this per token is the FLOPs. */
  activeParams?: number;
  /** The largest single layer's parameters (what ZeRO-3 gathers at once). */
  largestLayer?: number;
  /** The catalog's derived shape (attention kind, experts), where the model came from a config. */
  arch?: ModelArch;
}

export interface ModelPreset extends ModelShape {
  id: string;
  name: string;
  /** Where the shape comes from. */
  source: string;
}

/** A catalog model (or a user's config) as a training shape; `seq` is the lab's choice, not the model's. */
export function shapeOfArch(arch: ModelArch, seq: number): ModelShape {
  const c = countParams(arch);
  return {
    layers: arch.layers,
    hidden: arch.hidden,
    heads: arch.heads,
    vocab: arch.vocab,
    seq,
    params: c.total,
    activeParams: c.active,
    largestLayer: c.largestLayer,
    arch,
  };
}

export const MODEL_PRESETS: readonly ModelPreset[] = MODELS.map((m) => {
  const arch = archOf(m.config);
  return { id: m.id, name: m.name, source: m.source, ...shapeOfArch(arch, Math.min(arch.maxPositions || 2048, 8192)) };
});

/** Old preset ids (GPT-3 and Llama shapes by size) and the catalog ids they became. */
export const MODEL_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  MODELS.flatMap((m) => (m.aliases ?? []).filter((a) => /^\d+b$/.test(a)).map((a) => [a, m.id])),
);

export function findModel(id: string): ModelPreset | undefined {
  return MODEL_PRESETS.find((m) => m.id === (MODEL_ALIASES[id] ?? id));
}

/** Parameters of one GPT layer: 12h² + 13h. */
export function layerParams(h: number): number {
  return 12 * h * h + 13 * h;
}

/** The largest layer of a shape: the catalog's count, or one GPT layer. */
export function largestLayerParams(m: Pick<ModelShape, 'hidden' | 'largestLayer'>): number {
  return m.largestLayer ?? layerParams(m.hidden);
}

/** Total parameters: the catalog's count, or Ψ = 12·L·h² + 13·L·h + V·h + 2h (tied embedding, final LayerNorm). */
export function paramCount(m: Pick<ModelShape, 'layers' | 'hidden' | 'vocab' | 'params'>): number {
  return m.params ?? m.layers * layerParams(m.hidden) + m.vocab * m.hidden + 2 * m.hidden;
}

/** Parameters a token's matmuls use: all of them for a dense model, the routed experts only for MoE. */
export function activeParamCount(
  m: Pick<ModelShape, 'layers' | 'hidden' | 'vocab' | 'params' | 'activeParams'>,
): number {
  return m.activeParams ?? paramCount(m);
}

/** Problems with a shape, each naming the field; empty when the shape is usable. */
export function shapeProblems(m: ModelShape): string[] {
  const out: string[] = [];
  for (const k of ['layers', 'hidden', 'heads', 'vocab', 'seq'] as const) {
    if (!Number.isInteger(m[k]) || m[k] < 1) out.push(`${k} must be a positive whole number (got ${m[k]})`);
  }
  if (out.length === 0 && !m.arch && m.hidden % m.heads !== 0)
    out.push(`hidden size ${m.hidden} is not divisible by ${m.heads} heads`);
  return out;
}
