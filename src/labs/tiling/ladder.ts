import { destroyAll } from '../../gpu/buffers';
import { runSteps } from '../../gpu/dispatch';
import { errorMessage, isAbortError } from '../../gpu/errors';
import type { GpuRuntime } from '../../gpu/runtime';
import type { TimingOptions, TimingSource } from '../../gpu/timing';
import { subgroupAccesses, summarizeAccesses, type AccessSummary } from '../../kernels/matmul/access';
import { matmulCost } from '../../kernels/matmul/cost';
import { prepareMatmul } from '../../kernels/matmul/host';
import { matmulReference, matmulReferenceAt, samplePositions } from '../../kernels/matmul/reference';
import { modelTrace } from '../../kernels/matmul/traceModel';
import {
  DEFAULT_SHAPES,
  VARIANT_LABELS,
  type MatmulDims,
  type MatmulVariant,
  type TileShape,
} from '../../kernels/matmul/types';
import { shapeProblem } from '../../kernels/matmul/workgroup';
import { ErrorMeter, measureChecked } from '../../kernels/measure';
import type { TrafficCount } from '../../kernels/types';
import type { PeerRun } from './compare';
import { uploadOperands } from './run';

/** One step of the SGEMM-worklog ladder: a kernel, its shape and the lesson it carries. */
export interface Rung {
  id: string;
  variant: MatmulVariant;
  shape: TileShape;
  label: string;
  lesson: string;
}

/**
 * The ladder, in the order Simon Boehm's "How to optimize a CUDA matmul kernel" climbs it:
 * coalescing, workgroup tiling, 1D then 2D register blocking, the bank-conflict detour of a
 * transposed tile and its padding, wide (vec4) accesses, then autotuning. Shapes are fixed,
 * GPU-minded choices (never tuned for a CPU adapter); the autotuned rung is the sweep's best.
 */
export const LADDER: readonly Rung[] = [
  {
    id: 'naive-colmajor',
    variant: 'naive-colmajor',
    shape: DEFAULT_SHAPES['naive-colmajor'],
    label: 'naive, column-major walk',
    lesson: 'Neighbouring invocations sit a row of A apart: each touches its own 128-byte segment.',
  },
  {
    id: 'naive',
    variant: 'naive',
    shape: DEFAULT_SHAPES.naive,
    label: 'naive, coalesced',
    lesson: 'Same bytes, neighbours read neighbouring words of B and write neighbouring words of C.',
  },
  {
    id: 'tiled',
    variant: 'tiled',
    shape: DEFAULT_SHAPES.tiled,
    label: 'workgroup tiling 16×16',
    lesson: 'Tiles of A and B staged in workgroup memory: global reads fall 16×.',
  },
  {
    id: '1d',
    variant: 'register-blocked',
    shape: { tileM: 64, tileN: 32, tileK: 16, blockM: 8, blockN: 1 },
    label: '1D register blocking (8×1)',
    lesson: 'Each invocation keeps 8 outputs of a column in registers and reuses one B value 8 times.',
  },
  {
    id: '2d',
    variant: 'register-blocked',
    shape: DEFAULT_SHAPES['register-blocked'],
    label: '2D register blocking (4×4)',
    lesson: '16 outputs per invocation from 4 A and 4 B values per k: less workgroup-memory traffic per FLOP.',
  },
  {
    id: 'transposed',
    variant: 'transposed-a',
    shape: DEFAULT_SHAPES['transposed-a'],
    label: 'A tile transposed (k-major)',
    lesson: 'Stores of one subgroup land a 64-word row apart: 16 words in each of two banks, 16 passes.',
  },
  {
    id: 'padded',
    variant: 'transposed-a-padded',
    shape: DEFAULT_SHAPES['transposed-a-padded'],
    label: 'transposed + padded rows',
    lesson: 'A 2-word pad per row spreads the same stores over all 32 banks: one pass.',
  },
  {
    id: 'vec4',
    variant: 'register-blocked-vec4',
    shape: DEFAULT_SHAPES['register-blocked-vec4'],
    label: 'vec4 (8×4 per invocation)',
    lesson:
      '16-byte loads and stores: a quarter of the memory instructions, each served in four 8-lane phases (4 bank passes, none extra).',
  },
];

export const AUTOTUNED_ID = 'autotuned';

export function autotunedRung(shape: TileShape, variant: MatmulVariant = 'register-blocked-vec4'): Rung {
  return {
    id: AUTOTUNED_ID,
    variant,
    shape,
    label: `autotuned ${shape.tileM}×${shape.tileN}×${shape.tileK}, ${shape.blockM}×${shape.blockN}`,
    lesson: "The tile sweep's fastest shape on this adapter.",
  };
}

/** Subgroup width of the table's access figures: NVIDIA's warp. */
export const TABLE_SUBGROUP = 32;

/** Coalescing and bank figures of a rung from the CPU trace model: first workgroup, first K step. */
export function rungAccess(r: Rung, dims: MatmulDims, width = TABLE_SUBGROUP): AccessSummary {
  return summarizeAccesses(subgroupAccesses(modelTrace(r.variant, dims, r.shape, { tm: 0, tn: 0, step: 0 }), width));
}

export interface LadderRow {
  id: string;
  label: string;
  lesson: string;
  variant: MatmulVariant;
  shape: TileShape;
  /** null where the rung could not run here (the reason is in `note`). */
  medianMs: number | null;
  spreadMs: number | null;
  gflopPerS: number | null;
  timing: TimingSource | null;
  /** The check's metric, max |got − want| / max |want|. */
  error: number | null;
  /** Cost model: bytes read + written. */
  bytesMoved: number;
  /** The instrumented build's counts (null where a u32 counter would wrap or the rung did not run). */
  counted: TrafficCount | null;
  countsMatch: boolean | null;
  access: AccessSummary;
  note: string | null;
}

export interface LadderResult {
  dims: MatmulDims;
  rows: LadderRow[];
  /** Peer libraries' matmuls on the same operands, checked then timed (rows with errors say why). */
  peers?: PeerRun[];
  adapter: string;
  software: boolean;
}

/** Products whose full CPU reference stays under ~0.1 s are checked everywhere; bigger ones at sampled outputs. */
const FULL_REFERENCE_MACS = 2 ** 24;
const TOLERANCE = 1e-4;

export interface LadderOptions {
  timing: TimingOptions;
  signal?: AbortSignal;
  progress?(fraction: number, text: string): void;
  /** The autotuned rung (the sweep's best on this adapter), or null to leave it out. */
  autotuned?: { variant: MatmulVariant; shape: TileShape } | null;
  /** Count bytes with the instrumented build (default true). */
  count?: boolean;
}

export function ladderRungs(autotuned?: { variant: MatmulVariant; shape: TileShape } | null): Rung[] {
  return autotuned ? [...LADDER, autotunedRung(autotuned.shape, autotuned.variant)] : [...LADDER];
}

/**
 * Every rung on the same operands: checked against the CPU reference and timed (measureChecked),
 * its bytes counted by the instrumented build and compared with the cost model. A rung the device
 * cannot run becomes a row with the reason.
 */
export async function runLadder(rt: GpuRuntime, dims: MatmulDims, opts: LadderOptions): Promise<LadderResult> {
  const rungs = ladderRungs(opts.autotuned);
  const ops = await uploadOperands(rt, dims);
  const full = dims.M * dims.N * dims.K <= FULL_REFERENCE_MACS ? matmulReference(ops.a, ops.b, dims) : null;
  const positions = full ? null : samplePositions(dims.M, dims.N, 384);
  const sampled = positions ? matmulReferenceAt(ops.a, ops.b, dims, positions) : null;
  const rows: LadderRow[] = [];
  try {
    for (const [i, r] of rungs.entries()) {
      if (opts.signal?.aborted) throw new DOMException('Cancelled', 'AbortError');
      opts.progress?.(i / rungs.length, `${r.label}: check, time, count`);
      rows.push(await runRung(rt, r, dims, ops, { full, positions, sampled }, opts));
    }
  } finally {
    destroyAll([ops.bufA, ops.bufB]);
  }
  opts.progress?.(1, 'done');
  return { dims, rows, adapter: rt.info.name, software: rt.info.software };
}

async function runRung(
  rt: GpuRuntime,
  r: Rung,
  dims: MatmulDims,
  ops: { bufA: GPUBuffer; bufB: GPUBuffer },
  ref: { full: Float32Array | null; positions: number[] | null; sampled: Float64Array | null },
  opts: LadderOptions,
): Promise<LadderRow> {
  const cost = matmulCost(r.variant, dims, r.shape);
  const base = {
    id: r.id,
    label: r.label,
    lesson: r.lesson,
    variant: r.variant,
    shape: r.shape,
    bytesMoved: cost.bytesRead + cost.bytesWritten,
    access: rungAccess(r, dims),
  };
  const empty = {
    medianMs: null,
    spreadMs: null,
    gflopPerS: null,
    timing: null,
    error: null,
    counted: null,
    countsMatch: null,
  };
  const problem = shapeProblem(r.variant, r.shape, rt.info.limits);
  if (problem) return { ...base, ...empty, note: `${VARIANT_LABELS[r.variant]}: ${problem}` };
  try {
    const k = await prepareMatmul(rt, r.variant, dims, r.shape, { inputs: { a: ops.bufA, b: ops.bufB } });
    let m;
    try {
      m = await measureChecked(rt, k, {
        label: `matmul/${r.variant} ${dims.M}×${dims.N}×${dims.K}`,
        tolerance: TOLERANCE,
        reference: ref.full ?? undefined,
        compare: ref.full
          ? undefined
          : async () => {
              const c = await k.read();
              return new ErrorMeter()
                .add(
                  Float64Array.from(ref.positions!, (p) => c[p]),
                  ref.sampled!,
                  ref.positions!,
                )
                .result();
            },
        timing: opts.timing,
      });
    } finally {
      k.dispose();
    }
    let counted: TrafficCount | null = null;
    if (opts.count !== false && cost.bytesRead < 2 ** 32) {
      const ki = await prepareMatmul(rt, r.variant, dims, r.shape, {
        instrumented: true,
        inputs: { a: ops.bufA, b: ops.bufB },
      });
      try {
        ki.counters.reset();
        await runSteps(rt.device, ki.steps, `count ${r.id}`);
        counted = await ki.counters.read();
      } finally {
        ki.dispose();
      }
    }
    return {
      ...base,
      medianMs: m.medianMs,
      spreadMs: m.spreadMs,
      gflopPerS: m.gflopPerS,
      timing: m.timing,
      error: m.check.error,
      counted,
      countsMatch: counted ? counted.bytesRead === cost.bytesRead && counted.bytesWritten === cost.bytesWritten : null,
      note: null,
    };
  } catch (e) {
    if (isAbortError(e) || opts.signal?.aborted) throw e;
    return { ...base, ...empty, note: errorMessage(e) };
  }
}

/** % of a reference rate, or null when either is unknown. */
export function percentOf(x: number | null, of: number | null | undefined): number | null {
  return x !== null && of ? (100 * x) / of : null;
}

/** The ladder, then the peers on the same operands: the lab's "climb the ladder" job. */
export async function runLadderWithPeers(rt: GpuRuntime, dims: MatmulDims, opts: LadderOptions): Promise<LadderResult> {
  const ladder = await runLadder(rt, dims, { ...opts, progress: (f, t) => opts.progress?.(0.8 * f, t) });
  // Loaded on demand, as PeerCompare does: the peers' loaders stay out of the lab's first chunk.
  const { comparePeers } = await import('./compare');
  const peers = await comparePeers(dims, { ...opts.timing, signal: opts.signal }, (f, t) =>
    opts.progress?.(0.8 + 0.2 * f, t),
  );
  return { ...ladder, peers };
}

/** The fastest peer that ran, or null. */
export function bestPeer(peers: readonly PeerRun[] | undefined): PeerRun | null {
  return (peers ?? []).reduce<PeerRun | null>(
    (b, p) => (p.gflopPerS !== null && (!b || p.gflopPerS > (b.gflopPerS ?? 0)) ? p : b),
    null,
  );
}

/** Where the view remembers the sweep's best shape, per adapter (pure code never touches storage). */
export function autotuneStorageKey(adapter: string): string {
  return `gpu-playground:tiling:autotuned:${adapter}`;
}

export interface StoredAutotune {
  variant: MatmulVariant;
  shape: TileShape;
  gflopPerS: number;
  dims: MatmulDims;
}

/** Parses a stored autotune entry; anything malformed is ignored (null), never trusted. */
export function parseStoredAutotune(text: string | null): StoredAutotune | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as StoredAutotune;
    const s = v?.shape;
    const ok =
      (v.variant === 'tiled' || v.variant === 'register-blocked' || v.variant === 'register-blocked-vec4') &&
      s &&
      [s.tileM, s.tileN, s.tileK, s.blockM, s.blockN].every((x) => Number.isInteger(x) && x >= 1 && x <= 1024);
    return ok ? v : null;
  } catch {
    return null;
  }
}
