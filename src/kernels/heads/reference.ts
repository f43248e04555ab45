/**
 * Between token-major rows and attention's head-major layout (pure, exact copies):
 *   toHeads:   heads[b][h][t][c] = rows[(b·T + t)·stride + offset + h·d + c]
 *   fromHeads: the inverse, writing into the rows' [offset, offset + H·d) columns only.
 * With q, k, v side by side in one [B, T, 3C] row: stride 3C and offsets 0, C, 2C.
 */
export interface HeadLayout {
  batch: number;
  seq: number;
  heads: number;
  headDim: number;
  /** Floats per token row of the token-major tensor (C, or 3C for a fused QKV row). */
  stride: number;
  /** Column of the row where this tensor's H·d values start. */
  offset: number;
}

export function toHeads(rows: ArrayLike<number>, l: HeadLayout): Float64Array {
  const { batch: B, seq: T, heads: H, headDim: d } = l;
  const out = new Float64Array(B * H * T * d);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let t = 0; t < T; t++)
        for (let c = 0; c < d; c++)
          out[((b * H + h) * T + t) * d + c] = rows[(b * T + t) * l.stride + l.offset + h * d + c];
  return out;
}

/** Writes heads back into `rows` (a copy of it is returned; columns outside the range keep their values). */
export function fromHeads(heads: ArrayLike<number>, rows: ArrayLike<number>, l: HeadLayout): Float64Array {
  const { batch: B, seq: T, heads: H, headDim: d } = l;
  const out = Float64Array.from(rows);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let t = 0; t < T; t++)
        for (let c = 0; c < d; c++)
          out[(b * T + t) * l.stride + l.offset + h * d + c] = heads[((b * H + h) * T + t) * d + c];
  return out;
}

/** A copy: the GPU's values must be the inputs' bits exactly. */
export const HEADS_TOLERANCE = 0;
