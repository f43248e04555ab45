/**
 * The shapes job: the chosen catalog model's (or pasted config's) weight matrices, each scaled to
 * what this device runs (shapes.ts), through the lab's GEMV kernels at M = 1, each output checked
 * against the float64 reference of its dequantized weights, then timed. DOM-free.
 */
import { archOf, type ModelArch } from '../../catalog/config';
import { describeProblems } from '../../catalog/parse';
import { findModel } from '../../catalog/models';
import { decodeConfig } from '../../catalog/share';
import { uploadWeights, VARIANT_LABELS, type QuantVariant } from '../../kernels/quant';
import type { LabRunContext } from '../../labkit/contract';
import { layerInputs, makeFormat, makeLayer } from './layer';
import { measureFormat, type DecodeParams } from './run';
import { projectionsOf, scaleShape, SHAPE_VARIANTS, shapeLimits, type Projection, type ScaledShape } from './shapes';

export interface ShapeMeasurement {
  variant: QuantVariant;
  medianMs: number;
  /** Bytes the kernel must move at the run shape (W with its scales, x, y). */
  compulsoryBytes: number;
  /** compulsoryBytes ÷ median time. */
  effectiveGBps: number;
  /** Against the float64 reference of the dequantized weights. */
  kernelError: number;
}

export interface ShapeRow {
  projection: Projection;
  run: ScaledShape;
  measured: ShapeMeasurement[];
}

export interface ShapesResult {
  adapter: string;
  software: boolean;
  /** The model's name and the parameters that chose it (to tell a stale result). */
  model: string;
  key: string;
  group: number;
  /** Why shapes were scaled on this device. */
  limitReason: string;
  rows: ShapeRow[];
}

export function shapesKey(p: Pick<DecodeParams, 'costModel' | 'config' | 'group'>): string {
  return `${p.costModel}|${p.costModel === 'own' ? p.config : ''}|g${p.group}`;
}

/** The cost table's model: a catalog preset, or the pasted config.json (a named error when it cannot be used). */
export function shapesModel(p: Pick<DecodeParams, 'costModel' | 'config'>): { name: string; arch: ModelArch } {
  if (p.costModel === 'own') {
    if (!p.config) throw new RangeError('No config.json yet: paste or drop one in the box above, or pick a catalog model.');
    const r = decodeConfig(p.config);
    if (!r.ok) throw new RangeError(`Your config.json cannot be used: ${describeProblems(r.problems)}.`);
    return { name: `Your model (${r.config.model_type ?? 'config.json'})`, arch: r.arch };
  }
  const m = findModel(p.costModel);
  if (!m) throw new RangeError(`Unknown model "${p.costModel}".`);
  return { name: m.name, arch: archOf(m.config) };
}

/** `variants`: the formats to measure (the view runs all of SHAPE_VARIANTS; a test or bench may run fewer). */
export async function runShapes(
  ctx: LabRunContext,
  params: DecodeParams,
  variants: readonly QuantVariant[] = SHAPE_VARIANTS,
): Promise<ShapesResult> {
  const rt = ctx.runtime;
  if (!rt) throw new Error('The decode lab runs real GPU kernels and needs WebGPU.');
  const { name, arch } = shapesModel(params);
  const group = Number(params.group);
  const lim = shapeLimits(rt.info);
  const timing = rt.info.software
    ? { samples: 3, warmup: 1, minSampleMs: 2, maxRepeats: 4, signal: ctx.signal }
    : { samples: 5, signal: ctx.signal };
  const projections = projectionsOf(arch);
  const rows: ShapeRow[] = [];
  const result = (): ShapesResult => ({
    adapter: rt.info.name,
    software: rt.info.software,
    model: name,
    key: shapesKey(params),
    group,
    limitReason: lim.reason,
    rows: rows.map((r) => ({ ...r, measured: [...r.measured] })),
  });
  const total = projections.length * variants.length;
  let done = 0;
  for (const [i, projection] of projections.entries()) {
    const run = scaleShape(projection.N, projection.K, lim);
    const layer = makeLayer(run.N, run.K, 11 + i);
    const x = layerInputs(layer, 1);
    const row: ShapeRow = { projection, run, measured: [] };
    rows.push(row);
    for (const variant of variants) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new DOMException('Aborted', 'AbortError');
      ctx.progress(done / total, `${projection.name}: ${VARIANT_LABELS[variant]} at ${run.N}×${run.K}`);
      const f = makeFormat(layer, variant, group, false);
      const wb = await uploadWeights(rt, f.packed);
      try {
        const r = await measureFormat(rt, f, wb, x, 1, timing, 32);
        row.measured.push({
          variant,
          medianMs: r.m.medianMs,
          compulsoryBytes: r.compulsoryBytes,
          effectiveGBps: r.compulsoryBytes / (r.m.medianMs * 1e6),
          kernelError: r.m.check.error,
        });
      } finally {
        wb.dispose();
      }
      done++;
    }
  }
  ctx.progress(1, 'done');
  return result();
}
