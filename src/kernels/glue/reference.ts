import type { HeadsDims } from './shape';

/** Rows → heads (toHeads) or heads → rows (written into `rows`), exactly as heads.wgsl moves them. */
export function headsReference(
  src: ArrayLike<number>,
  d: HeadsDims,
  toHeads: boolean,
  rows?: Float32Array,
): Float32Array {
  const hd = d.d / d.heads;
  const n = d.batch * d.seq * d.d;
  const out = toHeads ? new Float32Array(n) : (rows ?? new Float32Array(d.batch * d.seq * d.width));
  for (let i = 0; i < n; i++) {
    const c = i % hd;
    const t = Math.floor(i / hd) % d.seq;
    const bh = Math.floor(i / (hd * d.seq));
    const h = bh % d.heads;
    const b = Math.floor(bh / d.heads);
    const r = (b * d.seq + t) * d.width + d.part * d.d + h * hd + c;
    if (toHeads) out[i] = src[r];
    else out[r] = src[i];
  }
  return out;
}
