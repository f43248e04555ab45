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
import { prepareOrtAttention } from '../../peers';
import { compareWithOrt, peerSide, type PeerComparisonResult } from '../../peers/compare';
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

export interface AttentionPeerResult extends PeerComparisonResult {
  shape: AttentionShape;
  tile: FlashTile;
}

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
  const ours = peerSide(
    `ours: tiled Br=${tile.br} Bc=${tile.bc}, ${tile.rows} row${tile.rows === 1 ? '' : 's'} per invocation`,
  );
  const ort: AttentionPeerResult['ort'] = {
    ...peerSide(p.causal ? 'onnxruntime-web GroupQueryAttention (causal)' : 'onnxruntime-web MultiHeadAttention'),
    version: '',
  };

  ctx.progress(0, 'preparing our tiled kernel');
  const inputs = await createAttentionInputs(rt, shape, data.q, data.k, data.v);
  let flash: Awaited<ReturnType<typeof prepareFlash>> | null = null;
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
    await compareWithOrt(rt, {
      signal: ctx.signal,
      progress: ctx.progress,
      oursSteps: k.steps,
      ours,
      ort,
      rounds,
      software,
      prepare: (peer) => prepareOrtAttention(peer, data.q, data.k, data.v, shape.bh, shape.n, shape.d, shape.causal),
      check: async (op) => sampledRowsCheck(shape, data.q, data.k, data.v, await op.read(), rows).error,
      tolerance: ATTENTION_TOLERANCE,
    });
  } finally {
    flash?.dispose();
    inputs.dispose();
  }
  ctx.progress(1, 'done');
  return { shape, tile, ours, ort, rounds, software };
}
