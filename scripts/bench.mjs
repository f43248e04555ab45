// Builds the Node bench (bench/main.ts, with its ?raw WGSL imports) into one ESM file with Vite's
// SSR build, then runs it once per adapter. Where no hardware adapter is asked for
// (GPU_PLAYGROUND_HARDWARE unset) and no Vulkan driver is named, that is SwiftShader from Debian's
// chromium and, where Dawn accepts it, Mesa's lavapipe (issue #28): each run's rows name their
// adapter. `--adapter swiftshader` or `--adapter lavapipe` runs one of them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { build } from 'vite';
import { adapterLabel, lavapipe, SWIFTSHADER_ICD } from './drivers.mjs';

const args = process.argv.slice(2);
let only = null;
for (let i = 0; i < args.length; i++) {
  const m = /^--adapter(?:=(.*))?$/.exec(args[i]);
  if (!m) continue;
  only = m[1] ?? args[i + 1];
  args.splice(i, m[1] === undefined ? 2 : 1);
  if (!['swiftshader', 'lavapipe'].includes(only)) {
    process.stderr.write(`unknown adapter ${only}; adapters: swiftshader, lavapipe\n`);
    process.exit(2);
  }
  break;
}

await build({
  configFile: false,
  logLevel: 'warn',
  // tfjs-core's gradient registrations (the train suite's tfjs peer) are ESM with extensionless
  // imports that Node cannot resolve: bundle tfjs (core, its WebGPU backend and the CPU kernels it shares: one copy) instead.
  ssr: { noExternal: [/^@tensorflow\//] },
  build: {
    ssr: 'bench/main.ts',
    outDir: 'dist-bench',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: { output: { entryFileNames: 'bench.mjs' } },
  },
});

const base = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
/** [name, environment] per run: the user's own choice of driver, else each software adapter present. */
const runs = [];
if (base.GPU_PLAYGROUND_HARDWARE || base.VK_ICD_FILENAMES || base.VK_DRIVER_FILES) runs.push(['as configured', base]);
else {
  if (only !== 'lavapipe' && existsSync(SWIFTSHADER_ICD))
    runs.push(['swiftshader', { ...base, VK_ICD_FILENAMES: SWIFTSHADER_ICD }]);
  if (only !== 'swiftshader') {
    const lvp = lavapipe();
    if (lvp.ok) runs.push([`lavapipe (${adapterLabel(lvp.info)})`, { ...base, VK_ICD_FILENAMES: lvp.icd }]);
    else process.stderr.write(`bench: no lavapipe adapter (${lvp.why}); rows for SwiftShader only.\n`);
  }
  if (!runs.length) runs.push(['default', base]);
}
let status = 0;
for (const [name, env] of runs) {
  if (runs.length > 1) process.stderr.write(`\n#### bench on ${name}\n`);
  const r = spawnSync(process.execPath, ['dist-bench/bench.mjs', ...args], { stdio: 'inherit', env });
  status ||= r.status ?? 1;
}
process.exit(status);
