import { seededFloats } from '../../../src/kernels/random';
import { attentionRef, epilogueRef, matmulRef } from '../../peers/references';
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
  state.checks.push({
    name: 'ORT MatMul',
    maxAbsError: maxAbs(o.output, cRef),
    medianMs: o.timing.medianMs,
    timing: o.timing.timing,
  });
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
  state.checks.push({
    name: 'tfjs matMul',
    maxAbsError: maxAbs(t.output, cRef),
    medianMs: t.timing.medianMs,
    timing: t.timing.timing,
  });
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
