// float64 CPU references for the peers' outputs; shared by the Node test and the browser check.
export function matmulRef(A: Float32Array, B: Float32Array, M: number, K: number, N: number): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[i * K + k] * B[k * N + j];
      C[i * N + j] = s;
    }
  return C;
}

export function epilogueRef(
  x: Float32Array,
  bias: Float32Array,
  res: Float32Array,
  rows: number,
  hidden: number,
): Float64Array {
  const out = new Float64Array(rows * hidden);
  const k = Math.sqrt(2 / Math.PI);
  for (let r = 0; r < rows; r++)
    for (let h = 0; h < hidden; h++) {
      const i = r * hidden + h;
      const v = x[i] + bias[h];
      out[i] = 0.5 * v * (1 + Math.tanh(k * (v + 0.044715 * v * v * v))) + res[i];
    }
  return out;
}

/** softmax(Q·Kᵀ/√d)·V per head in float64, with the row max subtracted as any stable softmax does. */
export function attentionRef(
  Q: Float32Array,
  K: Float32Array,
  V: Float32Array,
  BH: number,
  N: number,
  d: number,
  causal: boolean,
): Float64Array {
  const O = new Float64Array(BH * N * d);
  const p = new Float64Array(N);
  const scale = 1 / Math.sqrt(d);
  for (let h = 0; h < BH; h++) {
    const base = h * N * d;
    for (let i = 0; i < N; i++) {
      const keys = causal ? i + 1 : N;
      let max = -Infinity;
      for (let j = 0; j < keys; j++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += Q[base + i * d + c] * K[base + j * d + c];
        p[j] = s * scale;
        max = Math.max(max, p[j]);
      }
      let sum = 0;
      for (let j = 0; j < keys; j++) sum += p[j] = Math.exp(p[j] - max);
      for (let c = 0; c < d; c++) {
        let acc = 0;
        for (let j = 0; j < keys; j++) acc += p[j] * V[base + j * d + c];
        O[base + i * d + c] = acc / sum;
      }
    }
  }
  return O;
}
