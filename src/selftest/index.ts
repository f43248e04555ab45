/**
 * "Check my GPU" (issue 28): every kernel variant's correctness check on small ragged shapes
 * against its float64 reference, on the adapter at hand, as a report a student can share so that
 * a failure on their GPU reproduces here. Pure: no DOM, no Node; the page (src/app/selftest) and
 * `npm run selftest` (scripts/selftest.mjs) both run it.
 *
 *   const report = await runSelfTest(rt, { app, environment, onResult: (r) => show(r) });
 */
import type { GpuRuntime } from '../gpu/runtime';
import { FAMILIES, selfTestCases, type Family } from './cases';
import { buildReport, type ReportContext } from './report';
import { runCases, type RunOptions } from './run';
import type { SelfTestCase, SelfTestReport } from './types';

export { FAMILIES, FAMILY_LABELS, isFamily, selfTestCases, type Family } from './cases';
export { enabledFeatures, MissingFeatureError } from './probe';
export { adapterReport, buildReport, ms, reportText, sci, summarise } from './report';
export { caseId, runCase, runCases, type RunOptions } from './run';
export { compactReport, decodeReport, encodeReport, MAX_ENCODED, parseReport, type Decoded } from './share';
export type * from './types';

export interface SelfTestOptions extends RunOptions, Omit<ReportContext, 'startedAt' | 'durationMs'> {
  families?: readonly Family[];
  /** Cases to run instead of the kernels' (tests hand in deliberately wrong ones). */
  cases?: readonly SelfTestCase[];
}

export async function runSelfTest(rt: GpuRuntime, opts: SelfTestOptions): Promise<SelfTestReport> {
  const startedAt = new Date();
  const t0 = performance.now();
  const cases = opts.cases ?? selfTestCases(opts.families ?? FAMILIES);
  const results = await runCases(rt, cases, opts);
  return buildReport(rt.info, results, {
    app: opts.app,
    environment: opts.environment,
    driver: opts.driver,
    startedAt,
    durationMs: performance.now() - t0,
  });
}
