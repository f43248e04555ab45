// `npm run train`: builds bench/train.ts into one ESM file with Vite's SSR build (as the bench
// does), then runs it with the arguments. Dawn runs on SwiftShader where no hardware adapter is
// asked for (GPU_PLAYGROUND_HARDWARE unset) and no Vulkan driver is named.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { build } from 'vite';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: 'bench/train.ts',
    outDir: 'dist-train',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: { output: { entryFileNames: 'train.mjs' } },
  },
});

const env = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
if (!env.GPU_PLAYGROUND_HARDWARE && !env.VK_ICD_FILENAMES && !env.VK_DRIVER_FILES && existsSync(SWIFTSHADER_ICD))
  env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
const r = spawnSync(process.execPath, ['dist-train/train.mjs', ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
