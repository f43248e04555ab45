/**
 * The decode lab's measurements, DOM-free (app, bench and tests share them):
 * - runDecode: every weight format at M rows, each checked against the float64 reference of its
 *   dequantized weights (kernel exactness) and of the original weights (the error the user pays),
 *   then timed; plus the int4 kernel at M = 1 and M = γ+1 for speculative decoding's cost ratio v.
 * - runSweep: f32, int8 and int4 across M = 1..64 (where int4 stops paying).
 */
import type { DecodePeerResult } from './peerJob';
import type { ShapesResult } from './shapesRun';
import { ErrorMeter, measureChecked, type MeasuredFields } from '../../kernels/measure';
import {
  bytesPerWeight,
  dequantize,
  errorStats,
  featureBuild,
  featureOffers,
  featureReferenceInput,
  gemvReference,
  pickColumns,
  prepareGemv,
  sampleColumns,
  uploadWeights,
  VARIANT_LABELS,
  QUANT_VARIANTS,
  type AwqPoint,
  type GemvBuild,
  type OptionalFeature,
  type QuantVariant,
  type WeightBuffers,
} from '../../kernels/quant';
import type { GpuRuntime } from '../../gpu/runtime';
import type { TimingOptions } from '../../gpu/timing';
import type { LabRunContext, ParamsOf } from '../../labkit/contract';
import { formatInputs, isInt4, layerInputs, makeFormat, makeLayer, type Format, type Layer } from './layer';
import type { meta } from './meta';

export type DecodeParams = ParamsOf<typeof meta.schema>;

/**
 * Kernel exactness tolerance, max |got − want| / max |want| against the float64 reference of the
 * dequantized weights: the kernel sums K f32 products in another order than the reference, an
 * error that grows like √K·2⁻²⁴ (~1e-6 at K = 16384); 1e-4 leaves room and still catches any
 * wrong weight, scale or zero point (those give errors of 1e-2 and more).
 */
export const KERNEL_TOLERANCE = 1e-4;
/** Output channels the references cover on large layers (all of them up to this many). */
const CHECK_COLUMNS = 128;

export interface DecodeRow extends MeasuredFields {
  variant: QuantVariant;
  label: string;
  M: number;
  bytesPerWeight: number;
  bitsPerWeight: number;
  /** W + x + y once: the bytes DRAM must move at the least. */
  compulsoryBytes: number;
  /** compulsoryBytes / time. */
  effectiveGBps: number;
  /** Against the dequantized weights (float64): the kernel's own error. */
  kernelError: number;
  /** Against the original f32 weights: relative RMS and max of the output error (what quantization costs). */
  quantErrorRms: number;
  quantErrorMax: number;
  /** AWQ's chosen α (int4 with AWQ on), else null. */
  awqAlpha: number | null;
}

export interface AwqSummary {
  variant: QuantVariant;
  alpha: number;
  grid: AwqPoint[];
  /** Relative RMS output error on the held-out activations, plain RTN vs with AWQ scales (CPU, float64). */
  rtnError: number;
  awqError: number;
  rowsSearched: number;
}

/**
 * A GEMV build that needs an optional WebGPU feature, run on the same layer and M as the table,
 * next to its standard twin (same weights, same bytes): offered where the adapter has the feature,
 * otherwise listed with the reason (src/kernels/quant/features.ts).
 */
export type FeatureRow =
  | {
      build: Exclude<GemvBuild, 'standard'>;
      feature: OptionalFeature;
      label: string;
      weights: QuantVariant;
      offered: true;
      medianMs: number;
      twinMs: number | null;
      kernelError: number;
      tolerance: number;
      timing: MeasuredFields['timing'];
    }
  | {
      build: Exclude<GemvBuild, 'standard'>;
      feature: OptionalFeature;
      label: string;
      weights: QuantVariant;
      offered: false;
      reason: string;
    };

export interface VerifyTiming {
  variant: QuantVariant;
  gamma: number;
  /** Median ms at M = 1 and at M = γ+1 (a verification of γ drafted tokens plus one). */
  t1: number;
  tVerify: number;
  /** tVerify / t1: what one verification costs in plain decode steps. */
  v: number;
}

export interface DecodeResult {
  adapter: string;
  software: boolean;
  N: number;
  K: number;
  M: number;
  group: number;
  rows: DecodeRow[];
  /** The int4 verification timing; null only in a partial result shown before int4 has run. */
  verify: VerifyTiming | null;
  awq: AwqSummary[];
  checkedColumns: number;
  /** Builds needing subgroups / shader-f16: measured where offered, else the reason they are not. */
  features: FeatureRow[];
}

export interface SweepPoint extends MeasuredFields {
  variant: QuantVariant;
  M: number;
  compulsoryBytes: number;
  kernelError: number;
}

export interface SweepResult {
  adapter: string;
  software: boolean;
  N: number;
  K: number;
  group: number;
  points: SweepPoint[];
}

export const SWEEP_M = [1, 2, 3, 4, 5, 8, 16, 32, 64] as const;
export const SWEEP_VARIANTS: QuantVariant[] = ['f32', 'int8', 'int4'];

function checkAbort(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
}

function need(rt: GpuRuntime | null): GpuRuntime {
  if (!rt) throw new Error('The decode lab runs real GPU kernels and needs WebGPU.');
  return rt;
}

export function checkLayerShape(N: number, K: number): void {
  if (!Number.isInteger(N) || N < 1) throw new RangeError(`N must be a whole number ≥ 1 (got ${N}).`);
  if (!Number.isInteger(K) || K < 256 || K % 256 !== 0)
    throw new RangeError(
      `K = ${K}: the lab needs a multiple of 256 so that every format (16-weight units, int4 groups of 32 and 128) divides it.`,
    );
}

export interface Measured {
  m: MeasuredFields & { check: { error: number } };
  /** The output at the checked columns, for the error against the original weights. */
  picked: Float64Array;
  cols: number[];
  compulsoryBytes: number;
}

/** Prepares, checks against the dequantized reference at sampled columns, times; frees the kernel. */
export async function measureFormat(
  rt: GpuRuntime,
  f: Format,
  wb: WeightBuffers,
  x: Float32Array,
  M: number,
  timing: TimingOptions,
  columns = CHECK_COLUMNS,
  build: GemvBuild = 'standard',
): Promise<Measured> {
  const { N, K } = f.packed;
  const xIn = formatInputs(f, x, M, K);
  const cols = sampleColumns(N, Math.min(N, columns));
  // The f16-arith build rounds x to f16 in the kernel: its reference does too.
  const want = gemvReference(featureReferenceInput(build, xIn), dequantize(f.packed, cols), M, cols.length, K);
  const k = await prepareGemv(rt, wb, M, { x: xIn, build });
  try {
    let picked: Float64Array = new Float64Array(0);
    const m = await measureChecked(rt, k, {
      label: `decode/${build === 'standard' ? f.variant : build} M=${M} ${N}×${K}`,
      tolerance: build === 'standard' ? KERNEL_TOLERANCE : featureBuild(build).tolerance,
      async compare() {
        const y = await k.read();
        picked = pickColumns(y, M, N, cols);
        const positions = Array.from(
          { length: M * cols.length },
          (_, i) => Math.floor(i / cols.length) * N + cols[i % cols.length],
        );
        return new ErrorMeter().add(picked, want, positions).result();
      },
      timing,
    });
    return { m, picked, cols, compulsoryBytes: k.cost.compulsoryBytes };
  } finally {
    k.dispose();
  }
}

function timingFor(rt: GpuRuntime, signal: AbortSignal): TimingOptions {
  return rt.info.software ? { samples: 3, warmup: 1, minSampleMs: 5, maxRepeats: 8, signal } : { samples: 7, signal };
}

function fields(m: MeasuredFields): MeasuredFields {
  return {
    medianMs: m.medianMs,
    spreadMs: m.spreadMs,
    gbPerS: m.gbPerS,
    gflopPerS: m.gflopPerS,
    bytesMoved: m.bytesMoved,
    flops: m.flops,
    timing: m.timing,
  };
}

export async function runDecode(ctx: LabRunContext, params: DecodeParams): Promise<DecodeResult> {
  const rt = need(ctx.runtime);
  const { N, K, M, gamma } = params;
  checkLayerShape(N, K);
  const group = Number(params.group);
  const timing = timingFor(rt, ctx.signal);
  ctx.progress(0, 'building the layer');
  const layer = makeLayer(N, K);
  const x = layerInputs(layer, Math.max(M, gamma + 1));
  const xM = x.subarray(0, M * K);
  const originalCols = sampleColumns(N, Math.min(N, CHECK_COLUMNS));
  const original = gemvReference(xM, layer.w, M, N, K, originalCols);
  const rows: DecodeRow[] = [];
  const awq: AwqSummary[] = [];
  let verify: VerifyTiming | null = null;
  const offers = featureOffers(rt.info.features);
  const features: FeatureRow[] = [];
  const steps = QUANT_VARIANTS.length + 1;
  // Each finished format is shown at once (a row and a bar): on a software adapter the run takes tens of seconds.
  const result = (): DecodeResult => ({
    adapter: rt.info.name,
    software: rt.info.software,
    N,
    K,
    M,
    group,
    rows: [...rows],
    verify,
    awq: [...awq],
    checkedColumns: originalCols.length,
    features: [...features],
  });
  for (const [i, variant] of QUANT_VARIANTS.entries()) {
    checkAbort(ctx.signal);
    ctx.progress(i / steps, `${VARIANT_LABELS[variant]}: quantizing on the CPU`);
    const f = makeFormat(layer, variant, group, params.awq);
    if (f.awq) awq.push(awqSummary(layer, f, xM, M, original, originalCols, group));
    const wb = await uploadWeights(rt, f.packed);
    try {
      checkAbort(ctx.signal);
      ctx.progress((i + 0.3) / steps, `${VARIANT_LABELS[variant]}: check and time at M = ${M}`);
      const r = await measureFormat(rt, f, wb, xM, M, timing);
      const q = errorStats(r.picked, original);
      const bpw = bytesPerWeight(variant, K, isInt4(variant) ? group : null);
      rows.push({
        ...fields(r.m),
        variant,
        label: VARIANT_LABELS[variant],
        M,
        bytesPerWeight: bpw,
        bitsPerWeight: bpw * 8,
        compulsoryBytes: r.compulsoryBytes,
        effectiveGBps: r.compulsoryBytes / (r.m.medianMs * 1e6),
        kernelError: r.m.check.error,
        quantErrorRms: q.relRms,
        quantErrorMax: q.relMax,
        awqAlpha: f.awq ? f.awq.alpha : null,
      });
      if (variant === 'int4') {
        // Speculative decoding's verification: γ+1 rows through the same weights, against one row.
        ctx.progress((i + 0.6) / steps, `int4: verification GEMM, M = 1 and M = ${gamma + 1}`);
        const t1 =
          M === 1 ? r.m.medianMs : (await measureFormat(rt, f, wb, x.subarray(0, K), 1, timing, 16)).m.medianMs;
        const tVerify =
          M === gamma + 1
            ? r.m.medianMs
            : (await measureFormat(rt, f, wb, x.subarray(0, (gamma + 1) * K), gamma + 1, timing, 16)).m.medianMs;
        verify = { variant, gamma, t1, tVerify, v: tVerify / t1 };
      }
      // Feature builds on these weights (subgroups on f32, shader-f16 on f16), where offered.
      for (const o of offers) {
        if (o.build.weights !== variant) continue;
        const base = { build: o.build.build, feature: o.build.feature, label: o.build.label, weights: variant };
        if (!o.offered) {
          features.push({ ...base, offered: false, reason: o.reason });
          continue;
        }
        checkAbort(ctx.signal);
        ctx.progress((i + 0.8) / steps, `${o.build.label}: check and time at M = ${M}`);
        const fr = await measureFormat(rt, f, wb, xM, M, timing, CHECK_COLUMNS, o.build.build);
        features.push({
          ...base,
          offered: true,
          medianMs: fr.m.medianMs,
          twinMs: r.m.medianMs,
          kernelError: fr.m.check.error,
          tolerance: o.build.tolerance,
          timing: fr.m.timing,
        });
      }
    } finally {
      wb.dispose();
    }
    ctx.partial?.(result());
  }
  ctx.progress(1, 'done');
  return result();
}

/** RTN vs AWQ output error on the held-out activations, computed on the CPU at the sampled columns. */
function awqSummary(
  layer: Layer,
  f: Format,
  x: Float32Array,
  M: number,
  original: Float64Array,
  cols: number[],
  group: number,
): AwqSummary {
  const { K } = layer;
  const rtn = makeFormat(layer, f.variant, group, false);
  const yRtn = gemvReference(x, dequantize(rtn.packed, cols), M, cols.length, K);
  const yAwq = gemvReference(formatInputs(f, x, M, K), dequantize(f.packed, cols), M, cols.length, K);
  const s = f.awq!;
  return {
    variant: f.variant,
    alpha: s.alpha,
    grid: s.grid,
    rtnError: errorStats(yRtn, original).relRms,
    awqError: errorStats(yAwq, original).relRms,
    rowsSearched: s.rowsSearched,
  };
}

/** The decode lab's jobs, by name: the M sweep of every format at the current layer. */
export interface DecodeJobs {
  sweep: SweepResult;
  /** The chosen model's weight matrices at their own shapes, scaled to this device (shapesRun.ts). */
  shapes: ShapesResult;
  /** The on-demand comparison with onnxruntime-web's MatMulNBits (peerJob.ts). */
  peer: DecodePeerResult;
}

/** f32, int8 and int4 across M = 1..64 on the same layer: the times the speculative panel uses. */
export async function runSweep(ctx: LabRunContext, params: DecodeParams): Promise<SweepResult> {
  const rt = need(ctx.runtime);
  const { N, K } = params;
  checkLayerShape(N, K);
  const group = Number(params.group);
  const timing = timingFor(rt, ctx.signal);
  const layer = makeLayer(N, K);
  const x = layerInputs(layer, SWEEP_M[SWEEP_M.length - 1]);
  const points: SweepPoint[] = [];
  const total = SWEEP_VARIANTS.length * SWEEP_M.length;
  for (const variant of SWEEP_VARIANTS) {
    checkAbort(ctx.signal);
    const f = makeFormat(layer, variant, group, false);
    const wb = await uploadWeights(rt, f.packed);
    try {
      for (const M of SWEEP_M) {
        checkAbort(ctx.signal);
        ctx.progress(points.length / total, `${VARIANT_LABELS[variant]}, M = ${M}`);
        const r = await measureFormat(rt, f, wb, x.subarray(0, M * K), M, timing, 16);
        points.push({ ...fields(r.m), variant, M, compulsoryBytes: r.compulsoryBytes, kernelError: r.m.check.error });
      }
    } finally {
      wb.dispose();
    }
  }
  ctx.progress(1, 'done');
  return { adapter: rt.info.name, software: rt.info.software, N, K, group, points };
}
