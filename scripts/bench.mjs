// Builds the Node bench (bench/main.ts, with its ?raw WGSL imports) into one ESM file with Vite's
// SSR build, then runs it. Where no hardware adapter is asked for (GPU_PLAYGROUND_HARDWARE unset)
// and no Vulkan driver is named, Dawn runs on SwiftShader from Debian's chromium.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { build } from 'vite';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

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

const env = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
if (!env.GPU_PLAYGROUND_HARDWARE && !env.VK_ICD_FILENAMES && !env.VK_DRIVER_FILES && existsSync(SWIFTSHADER_ICD))
  env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
const r = spawnSync(process.execPath, ['dist-bench/bench.mjs', ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
