import type { MatmulDims, TileShape } from '../../kernels/matmul/types';

/** Where A, B and C sit in the picture: B above C, A to its left, sharing K as in the textbook figure. */
export interface GridLayout {
  width: number;
  height: number;
  a: Box;
  b: Box;
  c: Box;
  /** Tile counts: rows of C tiles, columns of C tiles, K steps. */
  tilesM: number;
  tilesN: number;
  stepsK: number;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The longest matrix side in px on a wide screen; a narrower picture gets shorter sides, never smaller text. */
export const LONGEST = 300;
const SHORTEST = 40;
const GAP = 16;
const PAD = 24;

/** Display length of a dimension: proportional, but never too thin to see or click. */
function len(d: number, largest: number, longest: number): number {
  return Math.max(SHORTEST, (d / largest) * longest);
}

/** The longest side that fits a picture `width` px wide (two matrices side by side, the gap and the margins). */
export function longestFor(width: number): number {
  return Math.max(2 * SHORTEST, Math.min(LONGEST, Math.floor((width - 2 * PAD - GAP) / 2)));
}

export function gridLayout(dims: MatmulDims, shape: TileShape, longest = LONGEST): GridLayout {
  const largest = Math.max(dims.M, dims.N, dims.K);
  const lm = len(dims.M, largest, longest);
  const ln = len(dims.N, largest, longest);
  const lk = len(dims.K, largest, longest);
  const x0 = PAD;
  const y0 = PAD;
  const cx = x0 + lk + GAP;
  const cy = y0 + lk + GAP;
  return {
    width: cx + ln + PAD,
    height: cy + lm + PAD + 4,
    a: { x: x0, y: cy, w: lk, h: lm },
    b: { x: cx, y: y0, w: ln, h: lk },
    c: { x: cx, y: cy, w: ln, h: lm },
    tilesM: Math.ceil(dims.M / shape.tileM),
    tilesN: Math.ceil(dims.N / shape.tileN),
    stepsK: Math.ceil(dims.K / shape.tileK),
  };
}

/** Offset in px of element index `i` along a dimension of size `d` drawn `length` px long. */
export function at(i: number, d: number, length: number): number {
  return (Math.min(i, d) / d) * length;
}

/** Tile boundaries to draw: all of them, or every n-th when there are too many to see. */
export function boundaries(d: number, tile: number, maxLines = 64): number[] {
  const count = Math.ceil(d / tile);
  const every = Math.ceil(count / maxLines);
  const out: number[] = [];
  for (let i = every; i < count; i += every) out.push(i * tile);
  return out;
}
