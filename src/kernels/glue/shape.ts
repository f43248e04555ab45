/** Rows [B·T, width] with H heads of D/H in column block `part`, and heads [B·H, T, D/H]. */
export interface HeadsDims {
  batch: number;
  seq: number;
  d: number;
  heads: number;
  width: number;
  part: number;
}

export const GLUE_WG = 256;
