import { createStorageBuffer, readUint32 } from '../../gpu/buffers';
import { bindGroup, runSteps } from '../../gpu/dispatch';
import { LimitError } from '../../gpu/errors';
import type { GpuRuntime } from '../../gpu/runtime';
import { prepareMatmul, type MatmulInputs } from './host';
import { TRACE_SLOTS, traceSteps, traceTiles, type TracePoint } from './traceModel';
import { effectiveShape, type MatmulDims, type MatmulVariant, type TileShape } from './types';
import { workgroupSize } from './workgroup';

/** Bind group index of the trace buffer in a trace build (shaders/matmul/trace_on.wgsl). */
export const TRACE_GROUP = 2;

export interface GpuTrace {
  variant: MatmulVariant;
  point: TracePoint;
  /** Events per invocation (local index), as the kernel wrote them. */
  events: number[][];
  /** True when some invocation made more accesses than TRACE_SLOTS (its tail was not stored). */
  truncated: boolean;
}

/** Why a trace point is outside the problem, or null. */
export function tracePointProblem(
  variant: MatmulVariant,
  dims: MatmulDims,
  shape: TileShape,
  p: TracePoint,
): string | null {
  const t = traceTiles(variant, dims, shape);
  const steps = traceSteps(variant, dims, shape);
  for (const [name, v, n] of [
    ['tile row', p.tm, t.rows],
    ['tile column', p.tn, t.cols],
    ['K step', p.step, steps],
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v >= n) return `${name} ${v} is outside 0…${n - 1}`;
  }
  return null;
}

/**
 * Runs the trace build of a matmul variant once: every workgroup computes as usual, and the chosen
 * workgroup writes the addresses its invocations touch during the chosen K step into a bounded
 * buffer (invocations × (TRACE_SLOTS + 1) words). Inputs default to zero-filled buffers: addresses
 * do not depend on values.
 */
export async function traceMatmul(
  rt: GpuRuntime,
  variant: MatmulVariant,
  dims: MatmulDims,
  shape: TileShape,
  point: TracePoint,
  inputs?: MatmulInputs,
): Promise<GpuTrace> {
  const problem = tracePointProblem(variant, dims, shape, point);
  if (problem) throw new LimitError(`Trace of ${variant}: ${problem}.`);
  const s = effectiveShape(variant, shape);
  const threads = workgroupSize(variant, s).total;
  const k = await prepareMatmul(rt, variant, dims, s, { inputs, trace: point });
  const buf = await createStorageBuffer(rt.device, threads * (TRACE_SLOTS + 1) * 4, `matmul/${variant} trace`);
  try {
    const step = k.steps[0];
    step.bindGroups[TRACE_GROUP] = bindGroup(rt.device, step.pipeline, [buf], TRACE_GROUP, 'matmul trace');
    await runSteps(rt.device, k.steps, `trace ${variant}`);
    const words = await readUint32(rt.device, buf, threads * (TRACE_SLOTS + 1));
    const events: number[][] = [];
    let truncated = false;
    for (let t = 0; t < threads; t++) {
      const base = t * (TRACE_SLOTS + 1);
      const n = words[base];
      if (n > TRACE_SLOTS) truncated = true;
      events.push(Array.from(words.subarray(base + 1, base + 1 + Math.min(n, TRACE_SLOTS))));
    }
    return { variant, point, events, truncated };
  } finally {
    buf.destroy();
    k.dispose();
  }
}
