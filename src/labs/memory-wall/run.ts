import { trafficRatio, VARIANT_LABELS, type ActivationVariant, type UnfusedPass } from '../../kernels/activation/cost';
import { createActivationInputs, prepareActivation } from '../../kernels/activation/host';
import { ACTIVATION_TOLERANCE } from '../../kernels/activation/reference';
import { measureChecked, measureKernel, type KernelMeasurement, type MeasuredFields } from '../../kernels/measure';
import type { LabRunContext, ParamsOf } from '../../labkit/contract';
import type { meta } from './meta';

export type MemoryWallParams = ParamsOf<typeof meta.schema>;

export interface MemoryWallRow extends MeasuredFields {
  /** Stable key: the variant, or "pass:<name>" for an unfused pass timed alone. */
  key: string;
  variant: ActivationVariant;
  pass: UnfusedPass | null;
  label: string;
  /** Whole chains only: max |GPU − CPU reference| over all N outputs. */
  maxAbsError: number | null;
}

/** Plain JSON (scenarios record it for replay without WebGPU). */
export interface MemoryWallResult {
  n: number;
  h: number;
  adapter: string;
  software: boolean;
  rows: MemoryWallRow[];
  /** Exact bytes unfused / fused from the cost model. */
  trafficRatio: number;
}

/** The variants whose checkboxes are on, in chain order. */
export function selectedVariants(p: Pick<MemoryWallParams, 'unfused' | 'fused' | 'vec4'>): ActivationVariant[] {
  const on: Record<ActivationVariant, boolean> = { unfused: p.unfused, fused: p.fused, fused_vec4: p.vec4 };
  return (['unfused', 'fused', 'fused_vec4'] as const).filter((v) => on[v]);
}

function row(
  key: string,
  variant: ActivationVariant,
  pass: UnfusedPass | null,
  label: string,
  m: KernelMeasurement,
  maxAbsError: number | null,
): MemoryWallRow {
  return {
    key,
    variant,
    pass,
    label,
    medianMs: m.medianMs,
    spreadMs: m.spreadMs,
    gbPerS: m.gbPerS,
    gflopPerS: m.gflopPerS,
    bytesMoved: m.bytesMoved,
    flops: m.flops,
    timing: m.timing,
    maxAbsError,
  };
}

function checkAbort(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
}

/** Checks each selected variant against the CPU reference, then times it (and each unfused pass). */
export async function runMemoryWall(ctx: LabRunContext, params: MemoryWallParams): Promise<MemoryWallResult> {
  const rt = ctx.runtime;
  if (!rt) throw new Error('The memory-wall lab runs real GPU kernels and needs WebGPU.');
  const { size: n, hidden: h, perPass, samples } = params;
  const variants = selectedVariants(params);
  if (!variants.length) throw new Error('Pick at least one variant to run (unfused, fused or fused + vec4).');
  const timing = { samples, signal: ctx.signal };
  const steps = variants.length + (perPass && variants.includes('unfused') ? 3 : 0);
  let done = 0;
  const tick = (text: string) => ctx.progress(done++ / steps, text);
  ctx.progress(0, 'uploading inputs');
  const inputs = await createActivationInputs(rt, { n, h }, 1);
  const rows: MemoryWallRow[] = [];
  // Each finished row is shown at once: on a software adapter the whole table takes tens of seconds.
  const result = (): MemoryWallResult => ({
    n,
    h,
    adapter: rt.info.name,
    software: rt.info.software,
    rows: [...rows],
    trafficRatio: trafficRatio(n, h),
  });
  try {
    for (const variant of variants) {
      checkAbort(ctx.signal);
      tick(`${VARIANT_LABELS[variant]}: checking`);
      const k = await prepareActivation(rt, variant, inputs);
      try {
        // Check before timing: repeated in-place passes would leave the buffer holding other values.
        const m = await measureChecked(rt, k, {
          label: `${VARIANT_LABELS[variant]}, N = ${n}, H = ${h}`,
          tolerance: ACTIVATION_TOLERANCE,
          timing,
          compare: () => k.compare(),
        });
        checkAbort(ctx.signal);
        rows.push(row(variant, variant, null, VARIANT_LABELS[variant], m, m.check.maxAbs));
        ctx.partial?.(result());
        // Each pass alone is timed only: it is part of the chain just checked, and a pass's output
        // alone has no reference of its own (the in-place GELU pass re-applies to its own output).
        if (variant === 'unfused' && perPass) {
          for (const p of k.passes) {
            checkAbort(ctx.signal);
            tick(`unfused ${p.pass} pass: timing`);
            const pm = await measureKernel(rt.device, { ...k, steps: p.steps, cost: p.cost }, timing);
            rows.push(row(`pass:${p.pass}`, variant, p.pass, `${p.pass} pass alone`, pm, null));
            ctx.partial?.(result());
          }
        }
      } finally {
        k.dispose();
      }
    }
  } finally {
    inputs.dispose();
  }
  ctx.progress(1, 'done');
  return result();
}
