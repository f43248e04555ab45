import { errorMessage, isAbortError } from '../../gpu/errors';
import { compareOutputs } from '../../kernels/check';
import { MATMUL_TOLERANCE, matmulReferenceAt, samplePositions, seededMatrix } from '../../kernels/matmul/reference';
import type { MatmulDims } from '../../kernels/matmul/types';
import {
  loadOrt,
  loadTfjs,
  prepareOrtMatmul,
  prepareTfjsMatmul,
  type PeerTiming,
  type PeerTimingOptions,
  type PreparedPeerOp,
} from '../../peers';

/** One peer library's matmul on the lab's operands: checked first, then timed. Plain JSON. */
export interface PeerRun {
  impl: string;
  label: string;
  version: string;
  medianMs: number | null;
  spreadMs: number | null;
  gflopPerS: number | null;
  timing: PeerTiming['timing'] | null;
  relError: number | null;
  /** Why this peer has no time: it failed to load, to run, or gave a wrong answer. */
  error: string | null;
}

/** Same operands as the lab's own kernels (same seeds), so outputs and rates compare directly. */
export function peerOperands(dims: MatmulDims): { a: Float32Array; b: Float32Array } {
  return { a: seededMatrix(dims.M * dims.K, 17), b: seededMatrix(dims.K * dims.N, 29) };
}

/**
 * Wrong answers are refused before timing: a fast wrong matmul is not a comparison. Peers are held
 * to our kernels' metric and tolerance (src/kernels/check.ts, MATMUL_TOLERANCE).
 */
function relErrorAt(out: Float32Array, a: Float32Array, b: Float32Array, dims: MatmulDims): number {
  const positions = samplePositions(dims.M, dims.N, 256);
  return compareOutputs(out, matmulReferenceAt(a, b, dims, positions), positions).error;
}

interface PeerDef {
  impl: string;
  label: string;
  prepare(a: Float32Array, b: Float32Array, d: MatmulDims): Promise<{ op: PreparedPeerOp; version: string }>;
}

const PEERS: PeerDef[] = [
  {
    impl: '@tensorflow/tfjs-backend-webgpu',
    label: 'TensorFlow.js tf.matMul (WebGPU)',
    async prepare(a, b, d) {
      const peer = await loadTfjs();
      return { op: prepareTfjsMatmul(peer, a, b, d.M, d.K, d.N), version: peer.version };
    },
  },
  {
    impl: 'onnxruntime-web',
    label: 'onnxruntime-web MatMul (WebGPU EP)',
    async prepare(a, b, d) {
      const peer = await loadOrt();
      return { op: await prepareOrtMatmul(peer, a, b, d.M, d.K, d.N), version: peer.version };
    },
  },
];

function emptyRun(p: PeerDef): PeerRun {
  return {
    impl: p.impl,
    label: p.label,
    version: '',
    medianMs: null,
    spreadMs: null,
    gflopPerS: null,
    timing: null,
    relError: null,
    error: null,
  };
}

/** A peer loaded and checked, ready to time; `op` is null where it failed (the row says why). */
export interface CheckedPeer {
  row: PeerRun;
  op: PreparedPeerOp | null;
}

/**
 * Loads one peer on demand, runs it once and checks its output against the CPU reference. A peer
 * that fails to load or run, or gives a wrong answer, comes back without an op and with its error;
 * only an abort is thrown.
 */
async function preparePeer(
  p: PeerDef,
  a: Float32Array,
  b: Float32Array,
  dims: MatmulDims,
  signal?: AbortSignal,
): Promise<CheckedPeer> {
  const row = emptyRun(p);
  let op: PreparedPeerOp | undefined;
  try {
    const prepared = await p.prepare(a, b, dims);
    op = prepared.op;
    row.version = prepared.version;
    row.relError = relErrorAt(await op.read(), a, b, dims);
    if (row.relError <= MATMUL_TOLERANCE) return { row, op };
    row.error = `output differs from the CPU reference (relative error ${row.relError.toExponential(2)}); not timed`;
  } catch (e) {
    if (isAbortError(e) || signal?.aborted) {
      op?.dispose();
      throw e;
    }
    row.error = errorMessage(e);
  }
  op?.dispose();
  return { row, op: null };
}

/**
 * Every peer loaded and checked on the lab's operands, for a bench that times them in rounds
 * interleaved with our kernels. The caller disposes the ops.
 */
export async function preparePeers(dims: MatmulDims, signal?: AbortSignal): Promise<CheckedPeer[]> {
  const { a, b } = peerOperands(dims);
  const out: CheckedPeer[] = [];
  try {
    for (const p of PEERS) {
      if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
      out.push(await preparePeer(p, a, b, dims, signal));
    }
  } catch (e) {
    for (const c of out) c.op?.dispose();
    throw e;
  }
  return out;
}

/**
 * Runs each peer's matmul on the same adapter: load on demand, check the output against the CPU
 * reference, then time with the same protocol as our kernels. A peer that fails becomes a row with
 * its error, never a crash; an abort stops the comparison.
 */
export async function comparePeers(
  dims: MatmulDims,
  timing: PeerTimingOptions,
  progress: (fraction: number, text: string) => void = () => {},
): Promise<PeerRun[]> {
  const { a, b } = peerOperands(dims);
  const flops = 2 * dims.M * dims.N * dims.K;
  const rows: PeerRun[] = [];
  for (const [i, p] of PEERS.entries()) {
    if (timing.signal?.aborted) throw timing.signal.reason ?? new DOMException('Aborted', 'AbortError');
    progress(i / PEERS.length, `${p.label}: loading and checking`);
    const { row, op } = await preparePeer(p, a, b, dims, timing.signal);
    if (op) {
      try {
        progress((i + 0.5) / PEERS.length, `${p.label}: timing`);
        const t = await op.time(timing);
        Object.assign(row, {
          medianMs: t.medianMs,
          spreadMs: t.spreadMs,
          gflopPerS: flops / (t.medianMs * 1e6),
          timing: t.timing,
        });
      } catch (e) {
        if (isAbortError(e) || timing.signal?.aborted) throw e;
        row.error = errorMessage(e);
      } finally {
        op.dispose();
      }
    }
    rows.push(row);
  }
  progress(1, 'done');
  return rows;
}
