import { errorMessage, GpuScopeError, LimitError } from '../../gpu/errors';
import type { GpuRuntime } from '../../gpu/runtime';
import type { TimingOptions } from '../../gpu/timing';
import {
  attentionInputs,
  createAttentionInputs,
  flashCost,
  flashPeakBytes,
  flashWorkgroupBytes,
  prepareFlash,
  prepareStandard,
  prepareThreeSweep,
  sampledRowsCheck,
  ATTENTION_TOLERANCE,
  standardCost,
  standardPeakBytes,
  standardRefusal,
  traceRow,
  type AttentionShape,
  type FlashTile,
  type PreparedAttention,
  type RowTrace,
} from '../../kernels/attention';
import { measureChecked } from '../../kernels/measure';
import type { LabRunContext, ParamsOf } from '../../labkit/contract';
import type { meta } from './meta';
import { HEAD_DIM, ROWS_PER_INVOCATION } from './params';

/** The lab's parameters as its schema types them (d is the enum's text: '32' | '64' | '128'). */
export type AttentionParams = ParamsOf<typeof meta.schema>;

export interface PathResult {
  medianMs: number;
  spreadMs: number;
  gbPerS: number;
  gflopPerS: number;
  timing: string;
  /** Cost model. */
  bytesRead: number;
  bytesWritten: number;
  flops: number;
  /** GPU memory the path allocated, inputs included. */
  peakBytes: number;
  /** Max |GPU − float64 reference| over `errorRows` sampled rows (the check's max abs error). */
  maxError: number;
  /** What the instrumented variant's atomics counted (small N only), else null. */
  counted: { bytesRead: number; bytesWritten: number } | null;
}

export interface SweepPoint {
  n: number;
  standardMs: number | null;
  tiledMs: number;
  standardBytes: number;
  tiledBytes: number;
  /** Why the standard path did not run at this N. */
  standardNote: string | null;
}

export interface AttentionRunResult {
  params: AttentionParams;
  shape: AttentionShape;
  tile: FlashTile;
  /** The textbook unfused algorithm (Dao et al. 2022, Algorithm 0): the baseline. */
  standard: PathResult | null;
  /**
   * The naive unfused rung: 32-wide matmul tiles and a softmax that sweeps each score row three
   * times; measured beside the textbook path to show what the one-read softmax saves. Absent in
   * recordings made before it existed.
   */
  threeSweep?: PathResult | null;
  /** Why the standard path did not run (N too large for its N×N buffers), else null. */
  standardNote: string | null;
  tiled: PathResult;
  sweep: SweepPoint[];
  traces: RowTrace[];
  errorRows: number;
  workgroupBytes: number;
  workgroupLimit: number;
  adapter: string;
  software: boolean;
}

/** Counting in u32 atomics and running the extra instrumented pass stay affordable up to here. */
const MAX_COUNTED_N = 2048;
const TRACE_ROWS = 8;
const ERROR_ROWS = 24;

/** The counters are u32 per slot: counting is skipped where a slot would wrap. */
function fitsU32(c: { bytesRead: number; bytesWritten: number }): boolean {
  return c.bytesRead < 2 ** 32 && c.bytesWritten < 2 ** 32;
}

function checkAbort(signal: AbortSignal): void {
  if (signal.aborted) throw new DOMException('Cancelled', 'AbortError');
}

/** Rows to check against the reference: spread over heads, including the first and the ragged last. */
export function errorRows(s: AttentionShape): { h: number; i: number }[] {
  const rows = new Map<string, { h: number; i: number }>();
  for (let r = 0; r < ERROR_ROWS; r++) {
    const h = r % s.bh;
    const i = Math.min(s.n - 1, Math.round((r / (ERROR_ROWS - 1)) * (s.n - 1)));
    rows.set(`${h}/${i}`, { h, i });
  }
  return [...rows.values()];
}

export function traceRows(n: number): number[] {
  const rows = new Set<number>();
  for (let r = 0; r < TRACE_ROWS; r++) rows.add(Math.round((r / (TRACE_ROWS - 1)) * (n - 1)));
  return [...rows].sort((a, b) => a - b);
}

/** Checks a path on sampled rows against float64 (measureChecked), then times it. */
/** Checks a path on sampled rows, times it, and returns its row: measured time, modelled bytes, peak memory. */
async function measurePath(
  rt: GpuRuntime,
  k: PreparedAttention,
  label: string,
  s: AttentionShape,
  data: { q: Float32Array; k: Float32Array; v: Float32Array },
  rows: { h: number; i: number }[],
  timing: TimingOptions,
): Promise<PathResult> {
  const m = await measureChecked(rt, k, {
    label,
    tolerance: ATTENTION_TOLERANCE,
    timing,
    compare: async () => sampledRowsCheck(s, data.q, data.k, data.v, await k.read(), rows),
  });
  return {
    medianMs: m.medianMs,
    spreadMs: m.spreadMs,
    gbPerS: m.gbPerS,
    gflopPerS: m.gflopPerS,
    timing: m.timing,
    flops: m.flops,
    bytesRead: k.cost.bytesRead,
    bytesWritten: k.cost.bytesWritten,
    peakBytes: k.allocatedBytes,
    maxError: m.check.maxAbs,
    counted: null,
  };
}

async function countPath(k: PreparedAttention): Promise<{ bytesRead: number; bytesWritten: number }> {
  k.counters.reset();
  await k.runOnce();
  return k.counters.read();
}

function standardFailure(e: unknown): string {
  // Out of memory (or the device refusing a binding) on the N×N buffers is the point of the lab, not a crash.
  if (e instanceof LimitError || e instanceof GpuScopeError) return errorMessage(e);
  throw e;
}

/**
 * Runs both paths on the same inputs: measured times, cost-model bytes, the atomics' counts (small
 * N), max error on sampled rows against float64, online-softmax traces of a few rows, and a small
 * N sweep. The standard path is skipped with a reason when its N×N buffers do not fit.
 */
export async function runAttentionLab(ctx: LabRunContext, p: AttentionParams): Promise<AttentionRunResult> {
  const rt = ctx.runtime;
  if (!rt) throw new Error('The attention lab runs real GPU kernels and needs WebGPU.');
  const d = HEAD_DIM[p.d];
  const shape: AttentionShape = { bh: p.heads, n: p.n, d, causal: p.causal };
  const tile: FlashTile = { br: p.br, bc: p.bc, rows: ROWS_PER_INVOCATION[p.rows] };
  const software = rt.info.software;
  // SwiftShader runs these at tens of MFLOP/s: fewer repetitions keep a large N interactive there.
  const timing: TimingOptions = software
    ? { warmup: 0, samples: 3, signal: ctx.signal, minSampleMs: 1, maxRepeats: 16 }
    : { warmup: 1, samples: 5, signal: ctx.signal };

  ctx.progress(0, 'preparing inputs');
  const data = attentionInputs(shape, 1);
  const inputs = await createAttentionInputs(rt, shape, data.q, data.k, data.v);
  let standard: PathResult | null = null;
  let threeSweep: PathResult | null = null;
  let standardNote: string | null = null;
  let tiled: PathResult;
  const rowsToCheck = errorRows(shape);
  // The online-softmax traces are CPU work on a few rows: computed first, so the first partial result has them.
  const traces = traceRows(p.n).map((row) => traceRow(shape, tile.bc, data.q, data.k, 0, row));
  const sweep: SweepPoint[] = [];
  const here = (t: PathResult): SweepPoint => ({
    n: p.n,
    standardMs: standard?.medianMs ?? null,
    tiledMs: t.medianMs,
    standardBytes: standardCost(shape).bytesRead + standardCost(shape).bytesWritten,
    tiledBytes: t.bytesRead + t.bytesWritten,
    standardNote,
  });
  const result = (t: PathResult): AttentionRunResult => ({
    params: p,
    shape,
    tile,
    standard,
    threeSweep,
    standardNote,
    tiled: t,
    sweep: [...sweep, here(t)],
    traces,
    errorRows: rowsToCheck.length,
    workgroupBytes: flashWorkgroupBytes(d, tile),
    workgroupLimit: rt.info.limits.maxComputeWorkgroupStorageSize,
    adapter: rt.info.name,
    software,
  });
  try {
    ctx.progress(0.05, 'tiled attention');
    const flash = await prepareFlash(rt, inputs, tile);
    try {
      tiled = await measurePath(rt, flash, `tiled attention, N = ${p.n}`, shape, data, rowsToCheck, timing);
    } finally {
      flash.dispose();
    }
    checkAbort(ctx.signal);
    // Shown at once: the tiled kernel's row and the tile schedule, while the N×N path still runs.
    ctx.partial?.(result(tiled));

    ctx.progress(0.3, 'standard attention');
    standardNote = standardRefusal(shape, rt.info.limits);
    if (!standardNote) {
      let std: PreparedAttention | null = null;
      try {
        std = await prepareStandard(rt, inputs);
      } catch (e) {
        standardNote = standardFailure(e);
      }
      if (std) {
        try {
          standard = await measurePath(rt, std, `standard attention, N = ${p.n}`, shape, data, rowsToCheck, timing);
        } finally {
          std.dispose();
        }
        ctx.partial?.(result(tiled));
        ctx.progress(0.45, 'naive unfused rung (three-sweep softmax)');
        const naive = await prepareThreeSweep(rt, inputs);
        try {
          threeSweep = await measurePath(
            rt,
            naive,
            `three-sweep attention, N = ${p.n}`,
            shape,
            data,
            rowsToCheck,
            timing,
          );
        } finally {
          naive.dispose();
        }
      }
    }
    checkAbort(ctx.signal);

    if (p.n <= MAX_COUNTED_N && fitsU32(standardCost(shape)) && fitsU32(tiled)) {
      ctx.progress(0.55, 'counting bytes with atomics');
      const flashI = await prepareFlash(rt, inputs, tile, { instrumented: true });
      try {
        tiled.counted = await countPath(flashI);
      } finally {
        flashI.dispose();
      }
      if (standard) {
        const stdI = await prepareStandard(rt, inputs, { instrumented: true });
        try {
          standard.counted = await countPath(stdI);
        } finally {
          stdI.dispose();
        }
      }
      if (threeSweep && fitsU32(threeSweep)) {
        const naiveI = await prepareThreeSweep(rt, inputs, { instrumented: true });
        try {
          threeSweep.counted = await countPath(naiveI);
        } finally {
          naiveI.dispose();
        }
      }
    }
  } finally {
    inputs.dispose();
  }
  checkAbort(ctx.signal);

  const t = tiled;
  ctx.partial?.(result(t));
  if (p.sweep) {
    const maxSweepN = software ? 512 : 4096;
    const ns: number[] = [];
    for (let n = 64; n <= maxSweepN && n < p.n; n *= 2) ns.push(n);
    const sweepTiming: TimingOptions = software
      ? { warmup: 0, samples: 1, signal: ctx.signal, minSampleMs: 0, maxRepeats: 1 }
      : { warmup: 1, samples: 3, signal: ctx.signal };
    for (const [idx, n] of ns.slice(-5).entries()) {
      checkAbort(ctx.signal);
      ctx.progress(0.7 + (0.28 * idx) / Math.max(1, ns.length), `sweep N = ${n}`);
      sweep.push(await sweepPoint(rt, { ...shape, n }, tile, sweepTiming));
      ctx.partial?.(result(t));
    }
  }
  ctx.progress(1, 'done');
  return result(t);
}

async function sweepPoint(
  rt: GpuRuntime,
  s: AttentionShape,
  tile: FlashTile,
  timing: TimingOptions,
): Promise<SweepPoint> {
  const data = attentionInputs(s, 7);
  const rows = errorRows(s);
  const inputs = await createAttentionInputs(rt, s, data.q, data.k, data.v);
  const sc = standardCost(s);
  const fc = flashCost(s, tile);
  try {
    const flash = await prepareFlash(rt, inputs, tile);
    let tiledMs: number;
    try {
      tiledMs = (await measurePath(rt, flash, `tiled attention, sweep N = ${s.n}`, s, data, rows, timing)).medianMs;
    } finally {
      flash.dispose();
    }
    let standardMs: number | null = null;
    let standardNote = standardRefusal(s, rt.info.limits);
    if (!standardNote) {
      try {
        const std = await prepareStandard(rt, inputs);
        try {
          standardMs = (await measurePath(rt, std, `standard attention, sweep N = ${s.n}`, s, data, rows, timing))
            .medianMs;
        } finally {
          std.dispose();
        }
      } catch (e) {
        standardNote = standardFailure(e);
      }
    }
    return {
      n: s.n,
      standardMs,
      tiledMs,
      standardBytes: sc.bytesRead + sc.bytesWritten,
      tiledBytes: fc.bytesRead + fc.bytesWritten,
      standardNote,
    };
  } finally {
    inputs.dispose();
  }
}

/** Peak memory of both paths from the model, for N the standard path could not run at. */
export function peakMemory(s: AttentionShape) {
  return { standard: standardPeakBytes(s), tiled: flashPeakBytes(s) };
}
