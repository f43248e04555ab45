import { destroyAll } from '../../gpu/buffers';
import { isAbortError } from '../../gpu/errors';
import { withinBuildBudget } from '../../kernels/buildCost';
import type { GpuRuntime } from '../../gpu/runtime';
import type { MatmulDims, TileShape } from '../../kernels/matmul/types';
import { shapeProblem } from '../../kernels/matmul/workgroup';
import type { LabRunContext } from '../../labkit/contract';
import { tilingArgs, type TiledVariant, type TilingValues } from './params';
import { measureVariant, uploadOperands } from './run';

export interface SweepCell {
  tileM: number;
  tileN: number;
  /** Measured rate, or null where the shape cannot run here (see `refused`). */
  gflopPerS: number | null;
  medianMs: number | null;
  refused: string | null;
  /** Pipeline creation + first dispatch, ms (src/kernels/buildCost.ts); null where it did not run. */
  buildMs?: number | null;
}

export interface SweepResult {
  dims: MatmulDims;
  variant: TiledVariant;
  tileK: number;
  block: number;
  tileSides: number[];
  cells: SweepCell[];
  best: { tileM: number; tileN: number; gflopPerS: number } | null;
}

/** Tile sides tried: one output per invocation caps the tiled kernel at 256 invocations, so it starts smaller. */
export function sweepSides(variant: TiledVariant): number[] {
  return variant === 'tiled' ? [4, 8, 16, 32] : [16, 32, 64, 128];
}

/**
 * Times the chosen kernel over a grid of output-tile shapes (tile K and block fixed) on one set of
 * operands. Shapes the device cannot run are recorded with the reason, not skipped silently.
 * Progress is reported per shape; an abort stops between (and inside) timings and throws.
 */
export async function sweepTiles(ctx: LabRunContext, p: TilingValues): Promise<SweepResult> {
  const rt: GpuRuntime | null = ctx.runtime;
  if (!rt) throw new Error('The sweep runs real GPU kernels and needs WebGPU.');
  const { dims, variant, shape } = tilingArgs(p);
  const sides = sweepSides(variant);
  const shapes: TileShape[] = sides.flatMap((tileM) => sides.map((tileN) => ({ ...shape, tileM, tileN })));
  // Short timings: the heatmap compares shapes with each other, all measured the same way.
  const timing = rt.info.software
    ? { warmup: 0, samples: 2, minSampleMs: 0, signal: ctx.signal }
    : { warmup: 1, samples: 3, minSampleMs: 2, signal: ctx.signal };
  const ops = await uploadOperands(rt, dims);
  const cells: SweepCell[] = [];
  try {
    for (const [i, s] of shapes.entries()) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new DOMException('Aborted', 'AbortError');
      ctx.progress(i / shapes.length, `tile ${s.tileM}×${s.tileN} (${i + 1} of ${shapes.length})`);
      const problem = shapeProblem(variant, s, rt.info.limits);
      if (problem) {
        cells.push({ tileM: s.tileM, tileN: s.tileN, gflopPerS: null, medianMs: null, refused: problem });
        continue;
      }
      try {
        // Every shape is checked before it is timed (measureChecked): a wrong one is refused with the worst index.
        const r = await measureVariant(rt, variant, dims, s, ops, timing, { count: false, build: true });
        cells.push({
          tileM: s.tileM,
          tileN: s.tileN,
          gflopPerS: r.gflopPerS,
          medianMs: r.medianMs,
          refused: null,
          buildMs: r.buildMs ?? null,
        });
      } catch (e) {
        if (isAbortError(e) || ctx.signal.aborted) throw e;
        cells.push({ tileM: s.tileM, tileN: s.tileN, gflopPerS: null, medianMs: null, refused: (e as Error).message });
      }
    }
  } finally {
    destroyAll([ops.bufA, ops.bufB]);
  }
  ctx.progress(1, 'done');
  // The autotune's candidates: measured shapes whose build fits the budget (a shape that takes
  // minutes to compile on some driver is never the one picked for the user).
  const measured = cells.filter(
    (c): c is SweepCell & { gflopPerS: number } =>
      c.gflopPerS !== null && (c.buildMs == null || withinBuildBudget({ buildMs: c.buildMs })),
  );
  const top = measured.reduce<(typeof measured)[number] | null>(
    (b, c) => (!b || c.gflopPerS > b.gflopPerS ? c : b),
    null,
  );
  return {
    dims,
    variant,
    tileK: shape.tileK,
    block: shape.blockM,
    tileSides: sides,
    cells,
    best: top ? { tileM: top.tileM, tileN: top.tileN, gflopPerS: top.gflopPerS } : null,
  };
}
