import { errorMessage, isAbortError } from '../../gpu/errors';
import { median, timeSteps, type TimingSource } from '../../gpu/timing';
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
import { loadOrt, type PreparedPeerOp } from '../../peers';
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

/** One side of the comparison, plain JSON. */
export interface DecodePeerSide {
  label: string;
  /** Median over the alternating rounds of one run's time; null when it could not be timed. */
  medianMs: number | null;
  samplesMs: number[];
  timing: TimingSource | null;
  /** max |got − want| / max |want| on the checked channels against the float64 reference of the dequantized weights. */
  relError: number | null;
  /** Why there is no time: failed to load, to run, or a wrong answer. */
  error: string | null;
}

export interface DecodePeerResult {
  N: number;
  K: number;
  M: number;
  group: number;
  ours: DecodePeerSide;
  ort: DecodePeerSide & { version: string };
  rounds: number;
  software: boolean;
}

function side(label: string): DecodePeerSide {
  return { label, medianMs: null, samplesMs: [], timing: null, relError: null, error: null };
}

const aborted = (ctx: LabRunContext) => {
  if (ctx.signal.aborted) throw new DOMException('Cancelled', 'AbortError');
};

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
  const ours = side(`ours: int4 GEMV, groups of ${group}`);
  const ort: DecodePeerResult['ort'] = { ...side(`onnxruntime-web MatMulNBits (4-bit, block ${group})`), version: '' };

  ctx.progress(0, 'quantizing the layer to int4');
  const layer = makeLayer(N, K);
  const x = layerInputs(layer, M);
  const f = makeFormat(layer, 'int4', group, false);
  const cols = sampleColumns(N, CHECK_COLUMNS);
  const want = gemvReference(x, dequantize(f.packed, cols), M, cols.length, K);
  const wb = await uploadWeights(rt, f.packed);
  let kernel: Awaited<ReturnType<typeof prepareGemv>> | null = null;
  let op: PreparedPeerOp | null = null;
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
    aborted(ctx);

    ctx.progress(0.1, 'loading onnxruntime-web');
    try {
      const peer = await loadOrt();
      ort.version = peer.version;
      aborted(ctx);
      ctx.progress(0.25, 'onnxruntime-web: first run and check');
      op = await prepareOrtMatMulNBits(peer, x, M, toNBits(f.packed));
      ort.relError = errorStats(pickColumns(await op.read(), M, N, cols), want).relMax;
      if (!(ort.relError <= PEER_TOLERANCE)) {
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

    // Repetitions per sample: enough for 2 ms of GPU time where one run is shorter (browser
    // timestamps are coarse), one on a software adapter where a run takes milliseconds anyway.
    const first = await timeSteps(rt.device, kernel.steps, { warmup: 0, samples: 1, repeats: 1, signal: ctx.signal });
    const repeats = software ? 1 : Math.min(64, Math.max(1, Math.ceil(2 / Math.max(first.medianMs, 1e-3))));
    const one = { warmup: 0, samples: 1, repeats, signal: ctx.signal };
    for (let r = 0; r < rounds; r++) {
      aborted(ctx);
      ctx.progress(0.3 + (0.7 * r) / rounds, `round ${r + 1} of ${rounds}`);
      const t = await timeSteps(rt.device, kernel.steps, one);
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
    kernel?.dispose();
    wb.dispose();
  }
  ctx.progress(1, 'done');
  return { N, K, M, group, ours, ort, rounds, software };
}
