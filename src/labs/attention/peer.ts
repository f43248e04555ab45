import { errorMessage, isAbortError } from '../../gpu/errors';
import { median, timeSteps, type TimingSource } from '../../gpu/timing';
import {
  ATTENTION_TOLERANCE,
  attentionInputs,
  createAttentionInputs,
  prepareFlash,
  sampledRowsCheck,
  type AttentionShape,
  type FlashTile,
} from '../../kernels/attention';
import { checkKernel } from '../../kernels/measure';
import { loadOrt, prepareOrtAttention, type PreparedPeerOp } from '../../peers';
import type { LabRunContext } from '../../labkit/contract';
import { HEAD_DIM, ROWS_PER_INVOCATION } from './params';
import { errorRows, type AttentionParams } from './run';

/** The comparison's slot in props.jobs. */
export const PEER_JOB = 'peer';

/** The attention lab's jobs, by name: what each resolves to. */
export interface AttentionJobs {
  peer: AttentionPeerResult;
}

/** What the comparison read: a change to any of these marks its result stale. */
export const peerKey = (p: AttentionParams) => JSON.stringify([p.n, p.d, p.heads, p.causal, p.br, p.bc, p.rows]);

/** One side of the comparison, plain JSON. */
export interface PeerSide {
  label: string;
  /** Median over the alternating rounds of one run's time; null when it could not be timed. */
  medianMs: number | null;
  samplesMs: number[];
  timing: TimingSource | null;
  /** max |got − want| / max |want| on sampled rows against float64. */
  relError: number | null;
  /** Why there is no time: failed to load, to run, or a wrong answer. */
  error: string | null;
}

export interface AttentionPeerResult {
  shape: AttentionShape;
  tile: FlashTile;
  ours: PeerSide;
  ort: PeerSide & { version: string };
  rounds: number;
  software: boolean;
}

function side(label: string): PeerSide {
  return { label, medianMs: null, samplesMs: [], timing: null, relError: null, error: null };
}

const aborted = (ctx: LabRunContext) => {
  if (ctx.signal.aborted) throw new DOMException('Cancelled', 'AbortError');
};

/**
 * Our tiled kernel (the lab's tile) against onnxruntime-web's attention op on the same inputs and
 * adapter: both checked against float64 on sampled rows first (a wrong answer is not timed), then
 * timed one run each in alternating rounds, so a busy machine slows both alike. Ours is timed by
 * GPU timestamps around its dispatch, ORT's by timestamps around each compute pass it encodes
 * (src/peers/passTimestamps.ts); each says which it got.
 */
export async function attentionPeerJob(ctx: LabRunContext, p: AttentionParams): Promise<AttentionPeerResult> {
  const rt = ctx.runtime;
  if (!rt) throw new Error('The comparison runs real GPU kernels and needs WebGPU.');
  const shape: AttentionShape = { bh: p.heads, n: p.n, d: HEAD_DIM[p.d], causal: p.causal };
  const tile: FlashTile = { br: p.br, bc: p.bc, rows: ROWS_PER_INVOCATION[p.rows] };
  const software = rt.info.software;
  const rounds = software ? 3 : 7;
  const data = attentionInputs(shape, 1);
  const rows = errorRows(shape);
  const ours = side(
    `ours: tiled Br=${tile.br} Bc=${tile.bc}, ${tile.rows} row${tile.rows === 1 ? '' : 's'} per invocation`,
  );
  const ort: AttentionPeerResult['ort'] = {
    ...side(p.causal ? 'onnxruntime-web GroupQueryAttention (causal)' : 'onnxruntime-web MultiHeadAttention'),
    version: '',
  };

  ctx.progress(0, 'preparing our tiled kernel');
  const inputs = await createAttentionInputs(rt, shape, data.q, data.k, data.v);
  let flash: Awaited<ReturnType<typeof prepareFlash>> | null = null;
  let op: PreparedPeerOp | null = null;
  try {
    const k = (flash = await prepareFlash(rt, inputs, tile));
    // The shared check: one run, the one metric, a named error past the tolerance.
    ours.relError = (
      await checkKernel(rt, k, {
        label: `tiled attention, N = ${shape.n}`,
        tolerance: ATTENTION_TOLERANCE,
        compare: async () => sampledRowsCheck(shape, data.q, data.k, data.v, await k.read(), rows),
      })
    ).error;
    aborted(ctx);

    ctx.progress(0.1, 'loading onnxruntime-web');
    try {
      const peer = await loadOrt();
      ort.version = peer.version;
      aborted(ctx);
      ctx.progress(0.25, 'onnxruntime-web: first run and check');
      op = await prepareOrtAttention(peer, data.q, data.k, data.v, shape.bh, shape.n, shape.d, shape.causal);
      ort.relError = sampledRowsCheck(shape, data.q, data.k, data.v, await op.read(), rows).error;
      if (!(ort.relError <= ATTENTION_TOLERANCE)) {
        ort.error = `output differs from the float64 reference (relative error ${ort.relError.toExponential(2)}); not timed`;
        op.dispose();
        op = null;
      }
    } catch (e) {
      if (isAbortError(e) || ctx.signal.aborted) throw e;
      ort.error = errorMessage(e);
      op?.dispose();
      op = null;
    }

    // Repetitions per sample: enough for 2 ms of GPU time where one run is shorter (timestamps are
    // coarse in browsers), one on a software adapter where a run takes tens of milliseconds.
    const first = await timeSteps(rt.device, flash.steps, { warmup: 0, samples: 1, repeats: 1, signal: ctx.signal });
    const repeats = software ? 1 : Math.min(64, Math.max(1, Math.ceil(2 / Math.max(first.medianMs, 1e-3))));
    const one = { warmup: 0, samples: 1, repeats, signal: ctx.signal };
    for (let r = 0; r < rounds; r++) {
      aborted(ctx);
      ctx.progress(0.3 + (0.7 * r) / rounds, `round ${r + 1} of ${rounds}`);
      const t = await timeSteps(rt.device, flash.steps, one);
      ours.samplesMs.push(t.medianMs);
      ours.timing = t.timing;
      if (op) {
        try {
          const o = await op.time(one);
          ort.samplesMs.push(o.medianMs);
          ort.timing = o.timing;
        } catch (e) {
          if (isAbortError(e) || ctx.signal.aborted) throw e;
          ort.error = errorMessage(e);
          op.dispose();
          op = null;
        }
      }
    }
    ours.medianMs = median(ours.samplesMs);
    if (ort.samplesMs.length && !ort.error) ort.medianMs = median(ort.samplesMs);
  } finally {
    op?.dispose();
    flash?.dispose();
    inputs.dispose();
  }
  ctx.progress(1, 'done');
  return { shape, tile, ours, ort, rounds, software };
}
