/**
 * Token + learned position embedding, in float64: the reference of the WGSL gather and
 * scatter-add kernels and a building block of the CPU model.
 *
 *   forward:  out[b·T + t] = wte[tokens[b·T + t]] + wpe[t]          out [B·T, C]
 *   backward: dwte[v] = Σ_{i : tokens[i] = v} dout[i],  dwpe[t] = Σ_b dout[b·T + t]
 *
 * wte is [vocab, C], wpe is [T_max, C] (T ≤ T_max; only rows < T receive gradient). dwte has every
 * vocab row (zeros for tokens that did not occur); with a tied output head the trainer adds the
 * head's gradient to it.
 */
export interface EmbeddingDims {
  /** Sequences in the batch. */
  batch: number;
  /** Positions per sequence. */
  seq: number;
  /** Channels (d_model). */
  channels: number;
  vocab: number;
}

function checkToken(t: number, vocab: number): void {
  if (!Number.isInteger(t) || t < 0 || t >= vocab)
    throw new RangeError(`token ${t} is outside the vocabulary of ${vocab}`);
}

export function embeddingForward(
  tokens: ArrayLike<number>,
  wte: ArrayLike<number>,
  wpe: ArrayLike<number>,
  dims: EmbeddingDims,
): Float64Array {
  const { batch, seq: T, channels: C, vocab } = dims;
  const out = new Float64Array(batch * T * C);
  for (let i = 0; i < batch * T; i++) {
    const tok = tokens[i];
    checkToken(tok, vocab);
    const t = i % T;
    for (let c = 0; c < C; c++) out[i * C + c] = wte[tok * C + c] + wpe[t * C + c];
  }
  return out;
}

export interface EmbeddingBackward {
  /** [vocab, C] */
  dwte: Float64Array;
  /** [seq, C] */
  dwpe: Float64Array;
}

export function embeddingBackward(
  tokens: ArrayLike<number>,
  dout: ArrayLike<number>,
  dims: EmbeddingDims,
): EmbeddingBackward {
  const { batch, seq: T, channels: C, vocab } = dims;
  const dwte = new Float64Array(vocab * C);
  const dwpe = new Float64Array(T * C);
  for (let i = 0; i < batch * T; i++) {
    const tok = tokens[i];
    checkToken(tok, vocab);
    const t = i % T;
    for (let c = 0; c < C; c++) {
      dwte[tok * C + c] += dout[i * C + c];
      dwpe[t * C + c] += dout[i * C + c];
    }
  }
  return { dwte, dwpe };
}

/**
 * Tolerance of the one check metric (max |error| / max |reference|): the gather is one float32
 * add; the scatter-add sums at most B·T float32 values in position order, against float64.
 */
export const EMBEDDING_TOLERANCE = 1e-5;
