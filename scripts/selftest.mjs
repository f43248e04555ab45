// `npm run selftest`: builds bench/selftest.ts into one ESM file with Vite's SSR build (as the
// bench does), then runs it with the arguments. Dawn runs on SwiftShader where no hardware adapter
// is asked for (GPU_PLAYGROUND_HARDWARE unset) and no Vulkan driver is named; for Mesa's lavapipe:
//   VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/lvp_icd.json npm run selftest
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { build } from 'vite';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

// The report names the app's version and commit, so a failure maps to the code that produced it.
// Vite passes VITE_* variables of the environment to import.meta.env.
const git = spawnSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8' });
process.env.VITE_APP_COMMIT ??= git.status === 0 ? git.stdout.trim() : '';
process.env.VITE_APP_VERSION ??= JSON.parse(readFileSync('package.json', 'utf8')).version;

await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: 'bench/selftest.ts',
    outDir: 'dist-selftest',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: { output: { entryFileNames: 'selftest.mjs' } },
  },
});

const env = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
if (!env.GPU_PLAYGROUND_HARDWARE && !env.VK_ICD_FILENAMES && !env.VK_DRIVER_FILES && existsSync(SWIFTSHADER_ICD))
  env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
const r = spawnSync(process.execPath, ['dist-selftest/selftest.mjs', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
process.exit(r.status ?? 1);
