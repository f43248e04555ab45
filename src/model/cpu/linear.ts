/**
 * y = x·W + b in float64, W stored [in, out] row-major (the layout's convention). The backward
 * accumulates (+=) into dx, dW and db, because a residual input and a tied weight each receive
 * gradient from more than one place.
 */
export function linearForward(x: Float64Array, w: Float64Array, b: Float64Array | null, rows: number, nIn: number, nOut: number): Float64Array {
  const y = new Float64Array(rows * nOut);
  for (let r = 0; r < rows; r++) {
    const yo = r * nOut;
    if (b) for (let o = 0; o < nOut; o++) y[yo + o] = b[o];
    for (let i = 0; i < nIn; i++) {
      const xv = x[r * nIn + i];
      const wo = i * nOut;
      for (let o = 0; o < nOut; o++) y[yo + o] += xv * w[wo + o];
    }
  }
  return y;
}

export function linearBackward(
  dy: Float64Array,
  x: Float64Array,
  w: Float64Array,
  rows: number,
  nIn: number,
  nOut: number,
  dx: Float64Array | null,
  dw: Float64Array,
  db: Float64Array | null,
): void {
  for (let r = 0; r < rows; r++) {
    const yo = r * nOut;
    if (db) for (let o = 0; o < nOut; o++) db[o] += dy[yo + o];
    for (let i = 0; i < nIn; i++) {
      const xv = x[r * nIn + i];
      const wo = i * nOut;
      let acc = 0;
      for (let o = 0; o < nOut; o++) {
        dw[wo + o] += xv * dy[yo + o];
        acc += w[wo + o] * dy[yo + o];
      }
      if (dx) dx[r * nIn + i] += acc;
    }
  }
}
