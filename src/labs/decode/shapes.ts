/**
 * A catalog model's decode step as the GEMVs it is made of: every weight matrix a token's forward
 * pass reads (attention projections, MLA's low-rank projections, the MLP or the experts it is
 * routed to, the output head), with its shape from the config fields, and how many of each the
 * checkpoint holds and one token reads. Then each shape scaled down to what this device can run
 * in the lab's time, keeping its aspect (N and K divided by the same factor) where the kernel's
 * K constraint allows, and saying what was changed and why.
 */
import type { ModelArch } from '../../catalog/config';
import { bytesPerWeight, type QuantVariant } from '../../kernels/quant';
import type { GpuInfo } from '../../gpu/device';
import { maxWeights, SOFTWARE_MAX_SIDE } from './clamp';

export interface Projection {
  id: string;
  /** The checkpoint's tensor names, e.g. "gate_proj, up_proj". */
  name: string;
  /** Output channels (rows of W) and input channels (columns). */
  N: number;
  K: number;
  /** Matrices of this shape one decode token reads (MoE: its routed and shared experts only). */
  perToken: number;
  /** Matrices of this shape the checkpoint holds (every expert). */
  stored: number;
}

/**
 * The weight matrices of one forward pass, by shape. Norms, biases and the router's vector
 * products are left out (under 0.1 % of the bytes); the input embedding is a row lookup, not a
 * GEMV, so only the output head counts (the same matrix when the embeddings are tied).
 */
export function projectionsOf(m: ModelArch): Projection[] {
  const h = m.hidden;
  const L = m.layers;
  const out: Projection[] = [];
  const add = (id: string, name: string, N: number, K: number, perToken: number, stored = perToken) => {
    if (perToken > 0 || stored > 0) out.push({ id, name, N, K, perToken, stored });
  };
  if (m.mla) {
    const { kvLoraRank: kr, qLoraRank: qr, ropeDim, nopeDim, vDim } = m.mla;
    const qOut = m.heads * (nopeDim + ropeDim);
    if (qr == null) add('q', 'q_proj', qOut, h, L);
    else {
      add('q_a', 'q_a_proj (query down to the latent)', qr, h, L);
      add('q_b', 'q_b_proj (latent up to the heads)', qOut, qr, L);
    }
    add('kv_a', 'kv_a_proj_with_mqa (KV latent + shared RoPE key)', kr + ropeDim, h, L);
    add('kv_b', 'kv_b_proj (latent up to keys and values)', m.heads * (nopeDim + vDim), kr, L);
    add('o', 'o_proj', h, m.heads * vDim, L);
  } else {
    add('q', 'q_proj', m.heads * m.headDim, h, L);
    add('kv', 'k_proj, v_proj', m.kvHeads * m.headDim, h, 2 * L);
    add('o', 'o_proj', h, m.heads * m.vHeadDim, L);
  }
  const moe = m.moe;
  const denseLayers = moe ? Math.min(moe.denseLayers, L) : L;
  const moeLayers = L - denseLayers;
  const inMats = m.gated ? 2 : 1;
  const inName = m.gated ? 'gate_proj, up_proj' : 'fc_in (up)';
  const outName = m.gated ? 'down_proj' : 'fc_out (down)';
  add('mlp_in', `${inName} (dense MLP)`, m.ffn, h, inMats * denseLayers);
  add('mlp_out', `${outName} (dense MLP)`, h, m.ffn, denseLayers);
  if (moe && moeLayers > 0) {
    const read = (moe.topK + moe.shared) * moeLayers;
    const held = (moe.experts + moe.shared) * moeLayers;
    add('expert_in', `${inName} (experts: ${moe.topK} routed + ${moe.shared} shared per token)`, moe.expertFfn, h, inMats * read, inMats * held);
    add('expert_out', `${outName} (experts)`, h, moe.expertFfn, read, held);
  }
  add('lm_head', m.tied ? 'lm_head (tied to the embedding)' : 'lm_head', m.vocab, h, 1);
  return out;
}

/** The formats the shapes job measures: 16-bit (BF16's bytes), 8-bit and 4-bit weights. */
export const SHAPE_VARIANTS: readonly QuantVariant[] = ['f16', 'int8', 'int4'];

/** Bytes one token's weight reads take in `variant` (int4 with groups of `group`), b = 1. */
export function bytesPerToken(projs: readonly Projection[], variant: QuantVariant, group: number): number {
  let bytes = 0;
  for (const p of projs) bytes += p.perToken * p.N * p.K * bytesPerWeight(variant, p.K, variant.startsWith('int4') ? group : null);
  return bytes;
}

/** Weights a batch of many sequences reads per step: every stored matrix (a big batch touches every expert). */
export function storedWeights(projs: readonly Projection[]): number {
  return projs.reduce((a, p) => a + p.stored * p.N * p.K, 0);
}

/**
 * Largest weight matrix the shapes job quantizes and times on a hardware adapter: 2^24 weights
 * (64 MiB in f32, under WebGPU's default 128 MiB binding). The CPU builds and quantizes each one
 * in well under a second at this size; a 128,256 × 8,192 output head would take the better part
 * of a minute and a gigabyte of memory.
 */
export const HARDWARE_MAX_WEIGHTS = 2 ** 24;
/** The kernel's K: a multiple of 256, so every format's 16-weight units and int4 groups of 32 and 128 divide it. */
const K_UNIT = 256;

export interface ScaledShape {
  N: number;
  K: number;
  /** Full-size N ÷ run N and K ÷ run K (1 when it runs at full size). */
  divN: number;
  divK: number;
  /** What changed, in words; null at full size. */
  note: string | null;
}

export interface ShapeLimits {
  /** Largest side (software adapters), or Infinity. */
  side: number;
  /** Largest N·K. */
  weights: number;
  /** Why, in one sentence. */
  reason: string;
}

export function shapeLimits(info: Pick<GpuInfo, 'limits' | 'software'>): ShapeLimits {
  const bind = maxWeights(info);
  const weights = Math.min(bind, HARDWARE_MAX_WEIGHTS);
  const budget =
    bind <= HARDWARE_MAX_WEIGHTS
      ? `this device’s largest storage buffer (${Math.round((bind * 4) / 2 ** 20)} MiB of f32 weights)`
      : `the lab’s time budget (${Math.round(weights / 2 ** 20)} M weights per matrix, quantized on the CPU)`;
  if (info.software)
    return {
      side: SOFTWARE_MAX_SIDE,
      weights: Math.min(weights, SOFTWARE_MAX_SIDE * SOFTWARE_MAX_SIDE),
      reason: `This adapter is a software rasterizer (a CPU): each side is at most ${SOFTWARE_MAX_SIDE} so the run takes seconds.`,
    };
  return { side: Infinity, weights, reason: `Each matrix is at most ${budget}.` };
}

/**
 * The shape to run for an N × K matrix: divided by the smallest factor d that fits the limits,
 * N and K alike (the aspect kept), with d chosen so K ÷ d stays a multiple of 256. Where no such
 * d exists (K too small to divide: an MLA latent of 512 under a 1024-side limit), K is set to the
 * nearest multiple of 256 that fits and N is divided on its own; the note says so.
 */
export function scaleShape(N: number, K: number, lim: ShapeLimits): ScaledShape {
  const need = Math.max(1, Math.max(N, K) / lim.side, Math.sqrt((N * K) / lim.weights));
  if (need === 1 && K % K_UNIT === 0) return { N, K, divN: 1, divK: 1, note: null };
  for (let d = Math.ceil(need); d <= K / K_UNIT; d++) {
    if (K % (K_UNIT * d) !== 0) continue;
    const n = Math.max(1, Math.round(N / d));
    if (n > lim.side || n * (K / d) > lim.weights) continue;
    return {
      N: n,
      K: K / d,
      divN: N / n,
      divK: d,
      note: d === 1 ? null : `N and K ÷ ${d}`,
    };
  }
  // No common factor keeps K a multiple of 256: K to the nearest allowed multiple, N on its own.
  const kMax = Math.max(K_UNIT, Math.floor(Math.min(lim.side, lim.weights) / K_UNIT) * K_UNIT);
  const k = Math.min(kMax, Math.max(K_UNIT, Math.round(K / need / K_UNIT) * K_UNIT));
  const n = Math.max(1, Math.min(Math.round(N / need), lim.side, Math.floor(lim.weights / k)));
  return {
    N: n,
    K: k,
    divN: N / n,
    divK: K / k,
    note: [
      n !== N ? `N ÷ ${fmtDiv(N / n)}` : null,
      k === K ? 'K kept' : k < K ? `K ÷ ${fmtDiv(K / k)}` : `K padded up to ${k}`,
      '(K stays a multiple of 256 for the kernel, so the aspect is not kept)',
    ]
      .filter(Boolean)
      .join(', ')
      .replace(', (', ' ('),
  };
}

function fmtDiv(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}
