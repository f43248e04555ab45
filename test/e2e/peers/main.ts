import { seededFloats } from '../../../src/kernels/random';
/**
 * Test fixture (not part of the app): loads each peer the way a lab page does (dynamic import of
 * src/peers), runs it on small inputs, compares with a float64 CPU reference, and publishes the
 * outcome on window.__peers for test/e2e/peers.e2e.ts.
 */
interface Check {
  name: string;
  maxAbsError: number;
  medianMs: number;
  timing: string;
}

declare global {
  interface Window {
    __peers?: { checks: Check[]; error?: string; done: boolean };
  }
}

const rand = seededFloats;

function matmulRef(A: Float32Array, B: Float32Array, M: number, K: number, N: number): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[i * K + k] * B[k * N + j];
      C[i * N + j] = s;
    }
  return C;
}

function attentionRef(Q: Float32Array, K: Float32Array, V: Float32Array, BH: number, N: number, d: number, causal: boolean): Float64Array {
  const O = new Float64Array(BH * N * d);
  const p = new Float64Array(N);
  for (let h = 0; h < BH; h++) {
    const b = h * N * d;
    for (let i = 0; i < N; i++) {
      const keys = causal ? i + 1 : N;
      let max = -Infinity;
      for (let j = 0; j < keys; j++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += Q[b + i * d + c] * K[b + j * d + c];
        p[j] = s / Math.sqrt(d);
        max = Math.max(max, p[j]);
      }
      let sum = 0;
      for (let j = 0; j < keys; j++) sum += p[j] = Math.exp(p[j] - max);
      for (let c = 0; c < d; c++) {
        let acc = 0;
        for (let j = 0; j < keys; j++) acc += p[j] * V[b + j * d + c];
        O[b + i * d + c] = acc / sum;
      }
    }
  }
  return O;
}

function epilogueRef(x: Float32Array, bias: Float32Array, res: Float32Array, rows: number, hidden: number): Float64Array {
  const out = new Float64Array(rows * hidden);
  const k = Math.sqrt(2 / Math.PI);
  for (let i = 0; i < rows * hidden; i++) {
    const v = x[i] + bias[i % hidden];
    out[i] = 0.5 * v * (1 + Math.tanh(k * (v + 0.044715 * v * v * v))) + res[i];
  }
  return out;
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const state: NonNullable<Window['__peers']> = { checks: [], done: false };
window.__peers = state;
const out = document.getElementById('out')!;
const quick = { warmup: 1, samples: 3, minSampleMs: 1, maxRepeats: 4 };

async function main(): Promise<void> {
  const peers = await import('../../../src/peers');
  const [M, K, N] = [64, 48, 80];
  const A = rand(M * K, 1);
  const B = rand(K * N, 2);
  const cRef = matmulRef(A, B, M, K, N);
  // ORT first, then tfjs: the order that stalled Node (see src/peers/ort.ts) is the one checked here.
  const ort = await peers.loadOrt();
  const o = await peers.ortMatmul(ort, A, B, M, K, N, quick);
  state.checks.push({ name: 'ORT MatMul', maxAbsError: maxAbs(o.output, cRef), medianMs: o.timing.medianMs, timing: o.timing.timing });
  const [BH, S, d] = [2, 64, 32];
  const Q = rand(BH * S * d, 8, -1.2, 1.2);
  const Kt = rand(BH * S * d, 9, -1.2, 1.2);
  const V = rand(BH * S * d, 10);
  for (const causal of [false, true]) {
    const a = await peers.ortAttention(ort, Q, Kt, V, BH, S, d, causal, quick);
    state.checks.push({
      name: `ORT attention${causal ? ' causal' : ''}`,
      maxAbsError: maxAbs(a.output, attentionRef(Q, Kt, V, BH, S, d, causal)),
      medianMs: a.timing.medianMs,
      timing: a.timing.timing,
    });
  }
  const tfjs = await peers.loadTfjs();
  const t = await peers.tfjsMatmul(tfjs, A, B, M, K, N, quick);
  state.checks.push({ name: 'tfjs matMul', maxAbsError: maxAbs(t.output, cRef), medianMs: t.timing.medianMs, timing: t.timing.timing });
  const [rows, hidden] = [4, 256];
  const x = rand(rows * hidden, 3, -6, 6);
  const bias = rand(hidden, 4);
  const res = rand(rows * hidden, 5);
  const e = await peers.tfjsEpilogue(tfjs, x, bias, res, rows, hidden, quick);
  state.checks.push({
    name: 'tfjs epilogue',
    maxAbsError: maxAbs(e.output, epilogueRef(x, bias, res, rows, hidden)),
    medianMs: e.timing.medianMs,
    timing: e.timing.timing,
  });
}

main()
  .catch((e: unknown) => {
    state.error = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  })
  .finally(() => {
    state.done = true;
    out.textContent = JSON.stringify(state, null, 2);
  });

export {};
