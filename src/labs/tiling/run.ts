import { createStorageBuffer, destroyAll } from '../../gpu/buffers';
import { COUNTER_MAX } from '../../gpu/counters';
import { runSteps } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import type { TimingOptions, TimingSource } from '../../gpu/timing';
import { matmulCost } from '../../kernels/matmul/cost';
import { prepareMatmul, type PreparedMatmul } from '../../kernels/matmul/host';
import { MATMUL_TOLERANCE, matmulReferenceAt, samplePositions, seededMatrix } from '../../kernels/matmul/reference';
import {
  DEFAULT_SHAPES,
  VARIANT_LABELS,
  type MatmulDims,
  type MatmulVariant,
  type TileShape,
} from '../../kernels/matmul/types';
import { workgroupBytes, workgroupSize } from '../../kernels/matmul/workgroup';
import { buildCost, measureBuild } from '../../kernels/buildCost';
import { compareOutputs, measureChecked, type CheckSpec } from '../../kernels/measure';
import type { KernelCost } from '../../kernels/types';
import type { LabRunContext, ParamsOf } from '../../labkit/contract';
import type { meta } from './meta';
import { tilingArgs, type TiledVariant } from './params';

export type TilingLabParams = ParamsOf<typeof meta.schema>;

/** One kernel's measured run: plain JSON, so scenarios can record and replay it. */
export interface VariantRun {
  variant: MatmulVariant;
  label: string;
  shape: TileShape;
  cost: KernelCost;
  medianMs: number;
  spreadMs: number;
  gflopPerS: number;
  gbPerS: number;
  repeats: number;
  timing: TimingSource;
  /** The check metric (src/kernels/check.ts): max |GPU − CPU| over the checked outputs / max |CPU|. */
  relError: number;
  checkedOutputs: number;
  /** Bytes the instrumented build counted with atomics; null where a 32-bit counter would overflow. */
  counted: { bytesRead: number; bytesWritten: number } | null;
  workgroupBytes: number;
  invocations: number;
  /** Build time in ms (when asked for with `build`): preparation plus the first run's excess over the median. */
  buildMs?: number;
}

export interface TilingResult {
  dims: MatmulDims;
  variant: TiledVariant;
  shape: TileShape;
  adapter: string;
  software: boolean;
  workgroupLimit: number;
  invocationLimit: number;
  /** Naive first, then the tiled kernel the sliders shape. */
  runs: VariantRun[];
}

/** Outputs compared with the CPU: all of a small C, otherwise corners plus a fixed random sample. */
const CHECKED_OUTPUTS = 384;
const FULL_CHECK_OUTPUTS = 4096;

export function timingFor(rt: GpuRuntime, dims: MatmulDims, signal?: AbortSignal): TimingOptions {
  const flops = 2 * dims.M * dims.N * dims.K;
  // A CPU adapter at well under 1 GFLOP/s: one run of a big product is already seconds long.
  if (rt.info.software && flops > 5e8) return { warmup: 0, samples: 2, minSampleMs: 0, maxRepeats: 1, signal };
  if (rt.info.software) return { warmup: 1, samples: 3, minSampleMs: 5, maxRepeats: 8, signal };
  return { warmup: 1, samples: 5, minSampleMs: 5, signal };
}

/** Zero-pads to whole vec4s (16 bytes), which the vec4 kernel's bindings need; the others ignore the tail. */
function padToVec4(x: Float32Array): Float32Array {
  if (x.length % 4 === 0) return x;
  const out = new Float32Array(Math.ceil(x.length / 4) * 4);
  out.set(x);
  return out;
}

/** Operands uploaded once and shared by every variant (and the peers), from fixed seeds. */
export async function uploadOperands(
  rt: GpuRuntime,
  dims: MatmulDims,
): Promise<{ a: Float32Array; b: Float32Array; bufA: GPUBuffer; bufB: GPUBuffer }> {
  const a = seededMatrix(dims.M * dims.K, 17);
  const b = seededMatrix(dims.K * dims.N, 29);
  const bufA = await createStorageBuffer(rt.device, padToVec4(a), 'tiling-a');
  try {
    return { a, b, bufA, bufB: await createStorageBuffer(rt.device, padToVec4(b), 'tiling-b') };
  } catch (e) {
    bufA.destroy();
    throw e;
  }
}

/** measureChecked's spec for C on the lab's operands: all of a small C, else corners plus a fixed sample. */
export function matmulCheck(k: PreparedMatmul, a: Float32Array, b: Float32Array, label: string): CheckSpec {
  const { M, N } = k.dims;
  const positions =
    M * N <= FULL_CHECK_OUTPUTS ? Array.from({ length: M * N }, (_, i) => i) : samplePositions(M, N, CHECKED_OUTPUTS);
  return {
    label,
    tolerance: MATMUL_TOLERANCE,
    compare: async () => compareOutputs(await k.read(), matmulReferenceAt(a, b, k.dims, positions), positions),
  };
}

/** Runs the instrumented build once when its byte counts fit the 32-bit atomics. */
export async function countTraffic(
  rt: GpuRuntime,
  variant: MatmulVariant,
  dims: MatmulDims,
  shape: TileShape,
  bufs: { a: GPUBuffer; b: GPUBuffer },
): Promise<VariantRun['counted']> {
  if (matmulCost(variant, dims, shape).bytesRead > COUNTER_MAX) return null;
  const k = await prepareMatmul(rt, variant, dims, shape, { instrumented: true, inputs: bufs });
  try {
    k.counters.reset();
    await runSteps(rt.device, k.steps, 'count');
    return await k.counters.read();
  } finally {
    k.dispose();
  }
}

export interface MeasureOptions {
  /** Skip the instrumented count (sweeps time many shapes; counts are a per-shape check). */
  count?: boolean;
  /**
   * Time the build (pipeline creation + first dispatch, src/kernels/buildCost.ts) into `buildMs`:
   * the sweep, which picks the autotuned shape, passes over shapes that take too long to build.
   */
  build?: boolean;
}

/** Checks one variant on uploaded operands, then times it (measureChecked) and, if asked, counts its traffic. */
export async function measureVariant(
  rt: GpuRuntime,
  variant: MatmulVariant,
  dims: MatmulDims,
  shape: TileShape,
  ops: { a: Float32Array; b: Float32Array; bufA: GPUBuffer; bufB: GPUBuffer },
  timing: TimingOptions,
  opts: MeasureOptions = {},
): Promise<VariantRun> {
  const label = `${VARIANT_LABELS[variant]} ${dims.M}×${dims.N}×${dims.K}`;
  const prepare = () => prepareMatmul(rt, variant, dims, shape, { inputs: { a: ops.bufA, b: ops.bufB } });
  const built = opts.build ? await measureBuild(rt.device, prepare, label, { warmRun: false }) : null;
  const k = built ? built.kernel : await prepare();
  try {
    const m = await measureChecked(rt, k, { ...matmulCheck(k, ops.a, ops.b, label), timing });
    const counted =
      opts.count === false ? null : await countTraffic(rt, variant, dims, k.shape, { a: ops.bufA, b: ops.bufB });
    return {
      variant,
      label: VARIANT_LABELS[variant],
      shape: k.shape,
      cost: k.cost,
      medianMs: m.medianMs,
      spreadMs: m.spreadMs,
      gflopPerS: m.gflopPerS,
      gbPerS: m.gbPerS,
      repeats: m.repeats,
      timing: m.timing,
      relError: m.check.error,
      checkedOutputs: m.check.checked,
      counted,
      workgroupBytes: workgroupBytes(variant, k.shape),
      invocations: workgroupSize(variant, k.shape).total,
      ...(built ? { buildMs: buildCost(built.cost.prepareMs, built.cost.firstRunMs, m.medianMs).buildMs } : {}),
    };
  } finally {
    k.dispose();
  }
}

/** The lab's run: the naive baseline and the chosen tiled kernel on the same operands. */
export async function runTilingLab(ctx: LabRunContext, p: TilingLabParams): Promise<TilingResult> {
  const rt = ctx.runtime;
  if (!rt) throw new Error('The tiling lab runs real GPU kernels and needs WebGPU.');
  const { dims, variant, shape } = tilingArgs(p);
  const timing = timingFor(rt, dims, ctx.signal);
  ctx.progress(0, 'uploading A and B');
  const ops = await uploadOperands(rt, dims);
  try {
    const runs: VariantRun[] = [];
    const plan: [MatmulVariant, TileShape][] = [
      ['naive', DEFAULT_SHAPES.naive],
      [variant, shape],
    ];
    for (const [i, [v, s]] of plan.entries()) {
      ctx.progress((i + 0.1) / plan.length, `${VARIANT_LABELS[v]}: compiling, timing, checking`);
      runs.push(await measureVariant(rt, v, dims, s, ops, timing));
    }
    ctx.progress(1, 'done');
    return {
      dims,
      variant,
      shape,
      adapter: rt.info.name,
      software: rt.info.software,
      workgroupLimit: rt.info.limits.maxComputeWorkgroupStorageSize,
      invocationLimit: rt.info.limits.maxComputeInvocationsPerWorkgroup,
      runs,
    };
  } finally {
    destroyAll([ops.bufA, ops.bufB]);
  }
}
