import type { DispatchStep } from '../gpu/dispatch';
import { errorMessage, isAbortError } from '../gpu/errors';
import type { GpuRuntime } from '../gpu/runtime';
import { median, timeSteps, type TimingSource } from '../gpu/timing';
import { loadOrt, type OrtPeer } from './ort';
import type { PreparedPeerOp } from './types';

/** One side of an on-demand comparison with a library, plain JSON (a lab job's result). */
export interface PeerSide {
  label: string;
  /** Median over the alternating rounds of one run's time; null when it could not be timed. */
  medianMs: number | null;
  samplesMs: number[];
  timing: TimingSource | null;
  /** max |got − want| / max |want| against the float64 reference, on what the lab checks. */
  relError: number | null;
  /** Why there is no time: failed to load, to run, or a wrong answer. */
  error: string | null;
}

/** The library's side: which onnxruntime-web ran. */
export interface OrtSide extends PeerSide {
  version: string;
}

/** What every comparison result carries, whatever the lab adds (shape, tile, layer). */
export interface PeerComparisonResult {
  ours: PeerSide;
  ort: OrtSide;
  rounds: number;
  software: boolean;
}

export function peerSide(label: string): PeerSide {
  return { label, medianMs: null, samplesMs: [], timing: null, relError: null, error: null };
}

function aborted(signal: AbortSignal): void {
  if (signal.aborted) throw new DOMException('Cancelled', 'AbortError');
}

interface CompareOptions {
  signal: AbortSignal;
  progress(fraction: number, text: string): void;
  /** Our kernel's steps, already checked by the caller (a wrong answer is never timed). */
  oursSteps: DispatchStep[];
  ours: PeerSide;
  ort: OrtSide;
  rounds: number;
  software: boolean;
  /** The library's op on the same inputs, and its error against the same float64 reference. */
  prepare(peer: OrtPeer): Promise<PreparedPeerOp>;
  check(op: PreparedPeerOp): Promise<number>;
  tolerance: number;
}

/**
 * The half every lab's comparison with onnxruntime-web shares, once our kernel is checked: load
 * the library, run and check its op (a wrong answer is named and not timed), then time one run of
 * each in alternating rounds so a busy machine slows both alike, and fill both sides' medians.
 * Ours is timed by GPU timestamps where the adapter has them; ORT's by timestamps written around
 * each compute pass it encodes (passTimestamps.ts). A library failure lands in `ort.error`; only a
 * cancel is thrown.
 */
export async function compareWithOrt(rt: GpuRuntime, o: CompareOptions): Promise<void> {
  const { ours, ort, signal } = o;
  let op: PreparedPeerOp | null = null;
  const drop = (e: unknown) => {
    if (isAbortError(e) || signal.aborted) throw e;
    ort.error = errorMessage(e);
    op?.dispose();
    op = null;
  };
  try {
    aborted(signal);
    o.progress(0.1, 'loading onnxruntime-web');
    try {
      const peer = await loadOrt();
      ort.version = peer.version;
      // Where ORT runs without subgroups (its attention is wrong with them here), the row says why.
      if (peer.subgroupsOff) ort.label += ` (${peer.subgroupsOff.short})`;
      aborted(signal);
      o.progress(0.25, 'onnxruntime-web: first run and check');
      op = await o.prepare(peer);
      ort.relError = await o.check(op);
      if (!(ort.relError <= o.tolerance)) {
        ort.error = `output differs from the float64 reference (relative error ${ort.relError.toExponential(2)}); not timed`;
        op.dispose();
        op = null;
      }
    } catch (e) {
      drop(e);
    }

    // Repetitions per sample: enough for 2 ms of GPU time where one run is shorter (browser
    // timestamps are coarse), one on a software adapter where a run takes milliseconds anyway.
    const first = await timeSteps(rt.device, o.oursSteps, { warmup: 0, samples: 1, repeats: 1, signal });
    const repeats = o.software ? 1 : Math.min(64, Math.max(1, Math.ceil(2 / Math.max(first.medianMs, 1e-3))));
    const one = { warmup: 0, samples: 1, repeats, signal };
    for (let r = 0; r < o.rounds; r++) {
      aborted(signal);
      o.progress(0.3 + (0.7 * r) / o.rounds, `round ${r + 1} of ${o.rounds}`);
      const t = await timeSteps(rt.device, o.oursSteps, one);
      ours.samplesMs.push(t.medianMs);
      ours.timing = t.timing;
      if (op) {
        try {
          const x = await (op as PreparedPeerOp).time(one);
          ort.samplesMs.push(x.medianMs);
          ort.timing = x.timing;
        } catch (e) {
          drop(e);
        }
      }
    }
    ours.medianMs = median(ours.samplesMs);
    if (ort.samplesMs.length && !ort.error) ort.medianMs = median(ort.samplesMs);
  } finally {
    (op as PreparedPeerOp | null)?.dispose();
  }
}
