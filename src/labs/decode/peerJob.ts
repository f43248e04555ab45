import { checkKernel, ErrorMeter } from '../../kernels/measure';
import {
  dequantize,
  errorStats,
  gemvReference,
  pickColumns,
  prepareGemv,
  sampleColumns,
  uploadWeights,
} from '../../kernels/quant';
import { compareWithOrt, peerSide, type PeerComparisonResult } from '../../peers/compare';
import { prepareOrtMatMulNBits } from '../../peers/ortNBits';
import type { LabRunContext } from '../../labkit/contract';
import { clampLayer } from './clamp';
import { layerInputs, makeFormat, makeLayer } from './layer';
import { toNBits } from './peer';
import { KERNEL_TOLERANCE, type DecodeParams } from './run';

/** The comparison's slot in props.jobs. */
export const PEER_JOB = 'peer';

/** What the comparison read: a change to any of these marks its result stale. */
export const peerKey = (p: DecodeParams) => JSON.stringify([p.N, p.K, p.M, p.group]);

/** onnxruntime-web sums in its own order and may use f16 internally: a looser bound than ours, still far below a wrong weight's 1e-2. */
export const PEER_TOLERANCE = 1e-3;
/** Output channels both outputs are checked on (all of them on small layers). */
const CHECK_COLUMNS = 128;

export interface DecodePeerResult extends PeerComparisonResult {
  N: number;
  K: number;
  M: number;
  group: number;
}

/**
 * Our int4 GEMV against onnxruntime-web's MatMulNBits on the same 4-bit weights (symmetric, the
 * lab's group size, no AWQ: MatMulNBits' default zero point is 8, as ours) and the same
 * activations, on this adapter: both checked against the float64 reference of the dequantized
 * weights first (a wrong answer is not timed), then timed one run each in alternating rounds, so a
 * busy machine slows both alike. Ours is timed by GPU timestamps where the adapter has them, ORT's
 * by timestamps around each compute pass it encodes; each side says which it got.
 */
export async function decodePeerJob(ctx: LabRunContext, p: DecodeParams): Promise<DecodePeerResult> {
  const rt = ctx.runtime;
  if (!rt) throw new Error('The comparison runs real GPU kernels and needs WebGPU.');
  const { N, K } = clampLayer(p.N, p.K, rt.info);
  const M = p.M;
  const group = Number(p.group);
  const software = rt.info.software;
  const rounds = software ? 3 : 7;
  const ours = peerSide(`ours: int4 GEMV, groups of ${group}`);
  const ort: DecodePeerResult['ort'] = {
    ...peerSide(`onnxruntime-web MatMulNBits (4-bit, block ${group})`),
    version: '',
  };

  ctx.progress(0, 'quantizing the layer to int4');
  const layer = makeLayer(N, K);
  const x = layerInputs(layer, M);
  const f = makeFormat(layer, 'int4', group, false);
  const cols = sampleColumns(N, CHECK_COLUMNS);
  const want = gemvReference(x, dequantize(f.packed, cols), M, cols.length, K);
  const wb = await uploadWeights(rt, f.packed);
  let kernel: Awaited<ReturnType<typeof prepareGemv>> | null = null;
  try {
    const k = (kernel = await prepareGemv(rt, wb, M, { x }));
    // The shared check: one run, the one metric, a named error past the tolerance.
    ours.relError = (
      await checkKernel(rt, k, {
        label: `int4 GEMV, M = ${M}`,
        tolerance: KERNEL_TOLERANCE,
        compare: async () => new ErrorMeter().add(pickColumns(await k.read(), M, N, cols), want).result(),
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
      prepare: (peer) => prepareOrtMatMulNBits(peer, x, M, toNBits(f.packed)),
      check: async (op) => errorStats(pickColumns(await op.read(), M, N, cols), want).relMax,
      tolerance: PEER_TOLERANCE,
    });
  } finally {
    kernel?.dispose();
    wb.dispose();
  }
  ctx.progress(1, 'done');
  return { N, K, M, group, ours, ort, rounds, software };
}
