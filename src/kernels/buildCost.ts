import { runSteps, type DispatchStep } from '../gpu/dispatch';

/**
 * What building a kernel variant costs before its first result, as a user meets it. Compile time
 * is part of a kernel's cost: some drivers compile when the pipeline is created, others (Mesa's
 * llvmpipe/lavapipe, which runs LLVM at the first dispatch) only when it first runs, so both are
 * timed and the first dispatch's excess over a warm one is counted as build time.
 */
export interface BuildCost {
  /** Preparing the kernel: shader module and pipeline creation (plus its buffers), in ms. */
  prepareMs: number;
  /** The first dispatch, lazy compilation included, in ms. */
  firstRunMs: number;
  /** A second dispatch of the same pipelines: the run alone, in ms (NaN when `warmRun: false`). */
  warmRunMs: number;
  /** prepareMs plus the first run's excess over the warm one: the time spent building, in ms. */
  buildMs: number;
}

/**
 * Above this many ms of build time a variant is not offered as an automatic choice (the bench's
 * autotune, a lab's "best" pick): a student would wait that long with nothing on screen. A fixed
 * wall-clock budget, not tuned to any adapter; a variant over it still runs when asked for by name.
 */
export const BUILD_BUDGET_MS = 10_000;

/**
 * Prepares a kernel and runs it twice, timing each stage on the wall clock (pipeline creation and
 * lazy compilation have no GPU timestamps). The kernel is returned prepared, to be checked, timed
 * or disposed by the caller. Pipelines already in the runtime's cache, or in the driver's own
 * shader cache, cost what they cost now: that is what the user waits for.
 * `warmRun: false` skips the second run, for callers that time the kernel next anyway: they pass
 * their own warm figure to buildCost().
 */
export async function measureBuild<K extends { steps: DispatchStep[] }>(
  device: GPUDevice,
  prepare: () => Promise<K>,
  label = 'build',
  opts: { warmRun?: boolean } = {},
): Promise<{ kernel: K; cost: BuildCost }> {
  const t0 = performance.now();
  const kernel = await prepare();
  const t1 = performance.now();
  await runSteps(device, kernel.steps, `${label} first run`);
  const t2 = performance.now();
  if (opts.warmRun === false) return { kernel, cost: buildCost(t1 - t0, t2 - t1, NaN) };
  await runSteps(device, kernel.steps, `${label} warm run`);
  const t3 = performance.now();
  return { kernel, cost: buildCost(t1 - t0, t2 - t1, t3 - t2) };
}

/** The build cost of timed stages: preparation plus the first run's excess over a warm run (none if unknown). */
export function buildCost(prepareMs: number, firstRunMs: number, warmRunMs: number): BuildCost {
  const excess = Number.isFinite(warmRunMs) ? Math.max(0, firstRunMs - warmRunMs) : 0;
  return { prepareMs, firstRunMs, warmRunMs, buildMs: prepareMs + excess };
}

/** Whether a measured build fits the budget for automatic choices (see BUILD_BUDGET_MS). */
export function withinBuildBudget(cost: Pick<BuildCost, 'buildMs'>, budgetMs = BUILD_BUDGET_MS): boolean {
  return cost.buildMs <= budgetMs;
}
