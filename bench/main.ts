/**
 * `npm run bench`: every registered suite on the default adapter, in one process.
 *   --json        one JSON object per row on stdout and nothing else (progress and summaries on stderr)
 *   --lab NAME    only that lab's suite (repeatable); NAME is the lab id (its folder, its `?lab=`)
 */
import { installDawn } from '../src/gpu/node';
import { GpuRuntime } from '../src/gpu/runtime';
import { SUITES } from '../src/bench/suites';
import type { BenchRow } from '../src/bench/types';

function parseArgs(argv: string[]) {
  const labs: string[] = [];
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') json = true;
    else if (argv[i] === '--lab') labs.push(argv[++i] ?? '');
    else if (argv[i].startsWith('--lab=')) labs.push(argv[i].slice(6));
    else if (argv[i] === '--help' || argv[i] === '-h') {
      process.stderr.write('usage: npm run bench -- [--json] [--lab NAME]...\n');
      process.exit(0);
    } else {
      process.stderr.write(`unknown argument ${argv[i]}\n`);
      process.exit(2);
    }
  }
  return { labs, json };
}

function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return '-';
  if (x === 0) return '0';
  return Math.abs(x) >= 1000 ? x.toFixed(0) : x.toPrecision(digits);
}

function tableLine(r: BenchRow): string {
  const params = Object.entries(r.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return [r.adapter.padEnd(18), r.lab.padEnd(12), r.kernel.padEnd(14), r.variant.padEnd(16), r.impl.padEnd(24), params.padEnd(28), `${fmt(r.medianMs)} ms`.padStart(11), `±${fmt(r.spreadMs, 2)}`.padStart(9), `${fmt(r.gbPerS)} GB/s`.padStart(13), `${fmt(r.gflopPerS)} GFLOP/s`.padStart(16), r.timing].join(' ');
}

async function main(): Promise<void> {
  const { labs, json } = parseArgs(process.argv.slice(2));
  const unknown = labs.filter((l) => !SUITES.some((s) => s.lab === l));
  if (unknown.length) {
    process.stderr.write(`unknown lab ${unknown.join(', ')}; labs: ${SUITES.map((s) => s.lab).join(', ')}\n`);
    process.exit(2);
  }
  const gpu = installDawn();
  const runtime = await GpuRuntime.create({ gpu, label: 'bench' });
  const adapter = runtime.info.name;
  const err = (s: string) => process.stderr.write(s);
  err(`adapter: ${adapter}${runtime.info.description ? ` (${runtime.info.description})` : ''}; timing: ${runtime.info.timestampQuery ? 'timestamp' : 'wallclock'}\n`);
  if (runtime.info.software) err('software adapter: times are a CPU’s; compare ratios, not absolute speeds\n');
  const out = (s: string) => (json ? err(s) : process.stdout.write(s));
  const suites = SUITES.filter((s) => !labs.length || labs.includes(s.lab));
  let failed = 0;
  for (const [i, entry] of suites.entries()) {
    const rows: BenchRow[] = [];
    const t0 = performance.now();
    const progress = (text: string) => err(`  … ${entry.lab}: ${text}\n`);
    try {
      // Only the selected suites are loaded (their kernels and WGSL), so --lab X never pays for the others.
      const suite = await entry.load();
      out(`\n== ${suite.title} [${suite.lab}] (${i + 1}/${suites.length})\n`);
      for await (const row of suite.run({ runtime, adapter, software: runtime.info.software, progress })) {
        rows.push(row);
        if (json) process.stdout.write(`${JSON.stringify(row)}\n`);
        else process.stdout.write(`${tableLine(row)}\n`);
      }
      for (const line of suite.summarize?.(rows) ?? []) out(`  ${line}\n`);
    } catch (e) {
      failed++;
      err(`  ${entry.lab} failed: ${(e as Error).stack ?? e}\n`);
    }
    err(`  (${entry.lab}: ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  }
  runtime.dispose();
  // Dawn keeps the event loop alive; leave explicitly.
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
