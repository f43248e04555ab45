import { runSteps } from '../gpu/dispatch';
import { DeviceLostError, LimitError, errorMessage } from '../gpu/errors';
import type { GpuRuntime } from '../gpu/runtime';
import { withErrorScopes } from '../gpu/scopes';
import { timeSteps } from '../gpu/timing';
import { MissingFeatureError, probeRuntime } from './probe';
import type { OutputCheck, PreparedCase, SelfTestCase, VariantResult } from './types';

export interface RunOptions {
  /** Called as each variant finishes (the page adds its row, the CLI prints it). */
  onResult?(r: VariantResult, done: number, total: number): void;
  /** Called before each variant starts. */
  onStart?(c: SelfTestCase, index: number, total: number): void;
  signal?: AbortSignal;
  /**
   * A variant still compiling or running after this long is reported as failed and the rest go on
   * (a driver that compiles for minutes is a finding, not a reason to hang). Default 180 s.
   */
  timeoutMs?: number;
  /** Steady timing samples per passing variant (default 3; 0 skips timing). */
  samples?: number;
}

const DEFAULT_TIMEOUT_MS = 180_000;

export const caseId = (c: Pick<SelfTestCase, 'family' | 'variant'>) => `${c.family}/${c.variant}`;

class CaseTimeout extends Error {
  constructor(ms: number, stage: string) {
    super(`did not finish ${stage} within ${Math.round(ms / 1000)} s (the next variant started once it had ended)`);
    this.name = 'CaseTimeout';
  }
}

/** Worst output by the metric (ties: the first); NaN counts as worst. */
function worstOf(checks: OutputCheck[]): OutputCheck | null {
  let worst: OutputCheck | null = null;
  for (const c of checks) if (!worst || !(c.check.error <= worst.check.error)) worst = c;
  return worst;
}

/**
 * Runs one case: prepare (timed pipeline creation, feature gate, error scopes), one dispatch
 * (timed: lazy drivers compile here), the comparison with the float64 reference, then steady
 * timing if it passed. Never throws: every failure is the result's message.
 */
export async function runCase(rt: GpuRuntime, c: SelfTestCase, opts: RunOptions = {}): Promise<VariantResult> {
  return (await trackedCase(rt, c, opts)).result;
}

/** The result, and when the case's GPU work has really ended (later than the result after a timeout). */
async function trackedCase(
  rt: GpuRuntime,
  c: SelfTestCase,
  opts: RunOptions,
): Promise<{ result: VariantResult; settled: Promise<void> }> {
  const started = performance.now();
  const base = {
    id: caseId(c),
    family: c.family,
    variant: c.variant,
    shape: c.shape,
  };
  const empty = {
    error: null,
    maxAbs: null,
    worst: null,
    compileMs: null,
    firstDispatchMs: null,
    steadyMs: null,
    timing: null,
  };
  const missing = (c.needs ?? []).filter((n) => !rt.info.features.includes(n.feature));
  if (missing.length)
    return {
      settled: Promise.resolve(),
      result: {
        ...base,
        ...empty,
        status: 'skip',
        message: missing.map((n) => n.reason).join('; '),
        features: (c.needs ?? []).map((n) => n.feature),
        tolerance: null,
        totalMs: 0,
      },
    };

  const probe = probeRuntime(rt);
  let stage = 'preparing';
  let prepared: PreparedCase | null = null;
  let compileMs: number | null = null;
  let firstDispatchMs: number | null = null;
  let checks: OutputCheck[] = [];
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const work = rt.run(
    async () => {
      const device = rt.device;
      prepared = await withErrorScopes(device, `preparing ${base.id}`, () => c.prepare(probe.rt));
      compileMs = probe.compileMs();
      stage = 'its first dispatch';
      const t0 = performance.now();
      await withErrorScopes(device, `the first dispatch of ${base.id}`, () => runSteps(device, prepared!.steps));
      firstDispatchMs = performance.now() - t0;
      stage = 'the comparison';
      checks = await prepared.outputs(probe.features);
      const tolerance = c.tolerance(probe.features);
      const worst = worstOf(checks);
      const pass = worst !== null && worst.check.error <= tolerance;
      let steady: { ms: number; timing: 'timestamp' | 'wallclock' } | null = null;
      if (pass && (opts.samples ?? 3) > 0) {
        stage = 'steady timing';
        const t = await timeSteps(device, prepared.steps, {
          warmup: 1,
          samples: opts.samples ?? 3,
          minSampleMs: 2,
          maxRepeats: 64,
          signal: opts.signal,
        });
        steady = { ms: t.medianMs, timing: t.timing };
      }
      return { tolerance, worst, pass, steady };
    },
    // A lost device fails this variant with its message; the runtime recovers for the next one.
    { retries: 0, label: base.id },
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CaseTimeout(timeoutMs, stage)), timeoutMs);
  });
  const features = () => [...probe.features].sort();
  // A timed-out case is still running: its buffers are freed when it ends, and the next case
  // waits for that, so its own times and its queue are not the stuck one's.
  const settled = work
    .then(
      () => undefined,
      () => undefined,
    )
    .finally(() => (prepared as PreparedCase | null)?.dispose());
  try {
    const r = await Promise.race([work, deadline]);
    const w = r.worst;
    const result: VariantResult = {
      ...base,
      status: r.pass ? 'pass' : 'fail',
      ...(r.pass
        ? {}
        : {
            message: w
              ? `${w.name}: max |error| ${fmt(w.check.maxAbs)} is ${fmt(w.check.error)} of max |reference| ${fmt(w.check.scale)}, tolerance ${fmt(r.tolerance)}; worst at index ${w.check.index} (got ${fmt(w.check.got)}, want ${fmt(w.check.want)})`
              : 'the case compared no outputs',
          }),
      features: features(),
      tolerance: r.tolerance,
      error: w ? finite(w.check.error) : null,
      maxAbs: w ? finite(w.check.maxAbs) : null,
      worst: w ? { output: w.name, index: w.check.index, got: finite(w.check.got), want: finite(w.check.want) } : null,
      compileMs,
      firstDispatchMs,
      steadyMs: r.steady?.ms ?? null,
      timing: r.steady?.timing ?? null,
      totalMs: performance.now() - started,
    };
    return { result, settled };
  } catch (e) {
    const skipped = e instanceof MissingFeatureError || e instanceof LimitError;
    const what =
      e instanceof DeviceLostError
        ? `the device was lost during ${stage}: ${e.message}`
        : e instanceof CaseTimeout || skipped
          ? errorMessage(e)
          : `${(e as Error)?.name ?? 'Error'} during ${stage}: ${errorMessage(e)}`;
    const result: VariantResult = {
      ...base,
      ...empty,
      status: skipped ? 'skip' : 'fail',
      message: what,
      features: e instanceof MissingFeatureError ? [...new Set([...features(), ...e.features])].sort() : features(),
      tolerance: null,
      compileMs,
      firstDispatchMs,
      totalMs: performance.now() - started,
    };
    return { result, settled };
  } finally {
    clearTimeout(timer);
  }
}

/** JSON has no Infinity or NaN: a non-finite value (a NaN output) is kept as null. */
function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5) ? x.toExponential(2) : String(Number(x.toPrecision(4)));
}

/** Runs every case in order; one failing, skipped or lost variant never stops the rest. */
export async function runCases(
  rt: GpuRuntime,
  cases: readonly SelfTestCase[],
  opts: RunOptions = {},
): Promise<VariantResult[]> {
  const results: VariantResult[] = [];
  for (let i = 0; i < cases.length; i++) {
    if (opts.signal?.aborted) break;
    opts.onStart?.(cases[i], i, cases.length);
    await rt.ready();
    const { result, settled } = await trackedCase(rt, cases[i], opts);
    results.push(result);
    opts.onResult?.(result, i + 1, cases.length);
    // Wait for a timed-out case's work, up to twice the timeout again: a driver that never returns
    // must not hold the rest forever.
    const cap = 2 * (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let t: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([settled, new Promise((r) => (t = setTimeout(r, cap)))]);
    clearTimeout(t);
  }
  return results;
}
