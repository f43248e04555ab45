/**
 * `npm run selftest`: every kernel variant's correctness check on this machine's WebGPU adapter
 * (Dawn; SwiftShader unless VK_ICD_FILENAMES names another Vulkan driver or
 * GPU_PLAYGROUND_HARDWARE=1), printed as a table and written as JSON, the same report the app's
 * "Check my GPU" page makes. Exit code 1 when any variant fails, 2 for bad arguments or no GPU.
 *
 *   --out PATH       where the JSON report goes (default selftest-report.json)
 *   --family NAME    only that kernel family (repeatable): matmul, attention, decode, training, elementwise
 *   --samples N      steady-timing samples per passing variant (default 3; 0 skips timing)
 */
import { writeFileSync } from 'node:fs';
import { installDawn } from '../src/gpu/node';
import { GpuRuntime } from '../src/gpu/runtime';
import { errorMessage } from '../src/gpu/errors';
import { FAMILIES, isFamily, ms, reportText, runSelfTest, sci, type Family } from '../src/selftest';

function usage(problem?: string): never {
  if (problem) process.stderr.write(`${problem}\n`);
  process.stderr.write(`usage: npm run selftest -- [--out PATH] [--family ${FAMILIES.join('|')}]... [--samples N]\n`);
  process.exit(problem ? 2 : 0);
}

function parseArgs(argv: string[]) {
  let out = 'selftest-report.json';
  let samples = 3;
  const families: Family[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--out') out = value();
    else if (flag === '--family') {
      const f = value();
      if (!isFamily(f)) usage(`unknown family "${f}"; one of ${FAMILIES.join(', ')}`);
      families.push(f);
    } else if (flag === '--samples') {
      samples = Number(value());
      if (!Number.isInteger(samples) || samples < 0) usage('--samples needs a whole number ≥ 0');
    } else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown argument ${argv[i]}`);
  }
  return { out, samples, families: families.length ? families : [...FAMILIES] };
}

const { out, samples, families } = parseArgs(process.argv.slice(2));
installDawn();
let rt: GpuRuntime;
try {
  rt = await GpuRuntime.create({ label: 'selftest' });
} catch (e) {
  process.stderr.write(`No WebGPU adapter: ${errorMessage(e)}\n`);
  process.exit(2);
}
const driver = process.env.GPU_PLAYGROUND_HARDWARE
  ? 'hardware (GPU_PLAYGROUND_HARDWARE=1)'
  : (process.env.VK_ICD_FILENAMES ?? process.env.VK_DRIVER_FILES ?? null);
process.stderr.write(`Self-test on ${rt.info.vendor} / ${rt.info.architecture} ${rt.info.description}\n`);
const report = await runSelfTest(rt, {
  families,
  samples,
  app: {
    name: 'gpu-playground',
    version: import.meta.env.VITE_APP_VERSION ?? 'unknown',
    commit: import.meta.env.VITE_APP_COMMIT || null,
  },
  environment: `Node ${process.version} (${process.platform} ${process.arch}), Dawn (npm webgpu)`,
  driver,
  onStart: (c, i, n) => process.stderr.write(`[${i + 1}/${n}] ${c.family}/${c.variant} …\r`),
  onResult: (r, done, n) =>
    process.stderr.write(
      `[${done}/${n}] ${r.status.toUpperCase().padEnd(4)} ${r.id}  error ${sci(r.error)}  compile ${ms(r.compileMs)}  first ${ms(r.firstDispatchMs)}  steady ${ms(r.steadyMs)}\x1b[K\n`,
    ),
});
rt.dispose();
process.stdout.write(`${reportText(report)}\n`);
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
process.stderr.write(`Report written to ${out}\n`);
process.exit(report.summary.fail ? 1 : 0);
