import type { NumericArray } from './parquet';

/**
 * What a NULL becomes when a column turns into a tensor. A tensor has no NULL, so something must
 * stand in for it, and the user picks what: NaN (missing stays visible and poisons sums, as it
 * should), 0, the column's mean of its non-NULL values, or dropping the row (as pandas' dropna).
 */
export type NullFill = 'nan' | 'zero' | 'mean' | 'drop';
export const NULL_FILLS: readonly NullFill[] = ['nan', 'zero', 'mean', 'drop'];
export const NULL_FILL_LABEL: Record<NullFill, string> = {
  nan: 'NaN',
  zero: '0',
  mean: 'column mean',
  drop: 'drop the row',
};

/** Columns as read: values plus, per column, a validity mask (1 = value, 0 = NULL; null when none is NULL). */
export interface MaskedColumns {
  rows: number;
  columns: Record<string, NumericArray>;
  valid: Record<string, Uint8Array | null>;
}

export function countNulls(valid: Uint8Array | null): number {
  if (!valid) return 0;
  let n = 0;
  for (let i = 0; i < valid.length; i++) n += 1 - valid[i];
  return n;
}

/**
 * The rows where key ≥ lo, as SQL's WHERE keeps them: a NULL key compares as unknown, so its row
 * is left out (whatever value sits under the mask).
 */
export function filterMasked(m: MaskedColumns, key: string, lo: number, keep: string[]): MaskedColumns {
  const k = m.columns[key];
  const kv = m.valid[key];
  const idx: number[] = [];
  for (let i = 0; i < k.length; i++) if ((!kv || kv[i]) && k[i] >= lo) idx.push(i);
  const columns: Record<string, NumericArray> = {};
  const valid: Record<string, Uint8Array | null> = {};
  for (const name of keep) {
    const src = m.columns[name];
    const dst = new (src.constructor as Float64ArrayConstructor)(idx.length);
    for (let j = 0; j < idx.length; j++) dst[j] = src[idx[j]];
    columns[name] = dst;
    const v = m.valid[name];
    if (v) {
      const dv = new Uint8Array(idx.length);
      for (let j = 0; j < idx.length; j++) dv[j] = v[idx[j]];
      valid[name] = dv;
    } else valid[name] = null;
  }
  return { rows: idx.length, columns, valid };
}

/** The tensor: NULLs replaced as `fill` says (columns without NULLs are returned as they are). */
export function fillNulls(
  m: MaskedColumns,
  fill: NullFill,
): { rows: number; columns: Record<string, NumericArray>; nulls: Record<string, number> } {
  const names = Object.keys(m.columns);
  const nulls: Record<string, number> = {};
  for (const n of names) nulls[n] = countNulls(m.valid[n]);
  if (names.every((n) => !nulls[n])) return { rows: m.rows, columns: m.columns, nulls };
  const columns: Record<string, NumericArray> = {};
  if (fill === 'drop') {
    const keep = new Uint8Array(m.rows).fill(1);
    for (const n of names) {
      const v = m.valid[n];
      if (v) for (let i = 0; i < m.rows; i++) keep[i] &= v[i];
    }
    let rows = 0;
    for (let i = 0; i < m.rows; i++) rows += keep[i];
    for (const n of names) {
      const src = m.columns[n];
      const dst = new (src.constructor as Float64ArrayConstructor)(rows);
      for (let i = 0, j = 0; i < m.rows; i++) if (keep[i]) dst[j++] = src[i];
      columns[n] = dst;
    }
    return { rows, columns, nulls };
  }
  for (const n of names) {
    const v = m.valid[n];
    const src = m.columns[n];
    if (!v) {
      columns[n] = src;
      continue;
    }
    let with_ = 0;
    if (fill === 'mean') {
      let s = 0;
      let c = 0;
      for (let i = 0; i < src.length; i++)
        if (v[i]) {
          s += src[i];
          c++;
        }
      with_ = c ? s / c : NaN;
    } else if (fill === 'nan') with_ = NaN;
    // NaN and a mean need a float column; 0 fits the column's own type.
    const dst =
      fill === 'zero' ? src.slice() : src instanceof Float32Array ? new Float32Array(src) : Float64Array.from(src);
    for (let i = 0; i < dst.length; i++) if (!v[i]) dst[i] = with_;
    columns[n] = dst;
  }
  return { rows: m.rows, columns, nulls };
}
