import type { GpuInfo } from '../gpu/device';
import type { AdapterReport, SelfTestReport, VariantResult } from './types';

export function adapterReport(info: GpuInfo): AdapterReport {
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description,
    name: info.name,
    software: info.software,
    features: [...info.features].sort(),
    limits: { ...info.limits },
    subgroupSizes: info.subgroupSizes ?? null,
  };
}

export function summarise(results: readonly VariantResult[]): SelfTestReport['summary'] {
  const s = { pass: 0, fail: 0, skip: 0 };
  for (const r of results) s[r.status]++;
  return s;
}

export interface ReportContext {
  app: SelfTestReport['app'];
  environment: string;
  driver?: string | null;
  startedAt: Date;
  durationMs: number;
}

export function buildReport(info: GpuInfo, results: readonly VariantResult[], ctx: ReportContext): SelfTestReport {
  return {
    format: 1,
    app: ctx.app,
    environment: ctx.environment,
    driver: ctx.driver ?? null,
    startedAt: ctx.startedAt.toISOString(),
    durationMs: Math.round(ctx.durationMs),
    adapter: adapterReport(info),
    summary: summarise(results),
    results: [...results],
  };
}

/** A time in ms for tables: "—" when not measured. */
export function ms(x: number | null): string {
  if (x === null) return '—';
  if (x >= 1000) return `${(x / 1000).toFixed(1)} s`;
  if (x >= 10) return `${x.toFixed(0)} ms`;
  if (x >= 0.1) return `${x.toFixed(2)} ms`;
  return `${(x * 1000).toFixed(1)} µs`;
}

/** An error metric or tolerance: "—" when none. */
export function sci(x: number | null): string {
  if (x === null) return '—';
  if (x === 0) return '0';
  return x.toExponential(1);
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The report as plain text: header, one table row per variant, then every skip and failure reason. */
export function reportText(r: SelfTestReport): string {
  const a = r.adapter;
  const lines = [
    `GPU Playground self-test (${r.app.name} ${r.app.version}${r.app.commit ? `, ${r.app.commit}` : ''})`,
    `Adapter: ${a.vendor} / ${a.architecture}${a.description ? ` (${a.description})` : ''}${a.software ? ', software' : ''}`,
    `Features: ${a.features.join(', ') || 'none'}`,
    `Subgroups: ${a.subgroupSizes ? `${a.subgroupSizes.min}–${a.subgroupSizes.max} wide` : 'sizes not reported'}`,
    `Limits: ${a.limits.maxComputeInvocationsPerWorkgroup} invocations/workgroup, ${a.limits.maxComputeWorkgroupStorageSize} B workgroup memory, ${a.limits.maxStorageBufferBindingSize} B per binding`,
    `Environment: ${r.environment}${r.driver ? `; driver ${r.driver}` : ''}`,
    `Result: ${r.summary.pass} passed, ${r.summary.fail} failed, ${r.summary.skip} skipped in ${(r.durationMs / 1000).toFixed(1)} s`,
    '',
  ];
  const head = ['status', 'variant', 'shape', 'error', 'tolerance', 'compile', 'first run', 'steady'];
  const rows = r.results.map((v) => [
    v.status.toUpperCase(),
    v.id,
    v.shape,
    sci(v.error),
    sci(v.tolerance),
    ms(v.compileMs),
    ms(v.firstDispatchMs),
    ms(v.steadyMs),
  ]);
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((row) => row[i].length))));
  lines.push(head.map((h, i) => pad(h, widths[i])).join('  '));
  for (const row of rows) lines.push(row.map((c, i) => pad(c, widths[i])).join('  '));
  const notes = r.results.filter((v) => v.message);
  if (notes.length) {
    lines.push('');
    for (const v of notes) lines.push(`${v.status.toUpperCase()} ${v.id}: ${v.message}`);
  }
  return lines.join('\n');
}
