import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { runnerImport, type Plugin } from 'vite';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { adapterLabel, lavapipe, SWIFTSHADER_ICD } from './scripts/drivers.mjs';

export { SWIFTSHADER_ICD };

export function dawnTestEnv(): Record<string, string> {
  const env: Record<string, string> = { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
  // A user who wants their real GPU in tests sets GPU_PLAYGROUND_HARDWARE=1.
  if (!process.env.GPU_PLAYGROUND_HARDWARE && existsSync(SWIFTSHADER_ICD)) env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  return env;
}

/**
 * Unit test files that run something on a WebGPU device (a kernel, a lab's job, a peer library):
 * found by what they call, so a new GPU test joins the second driver's run without a list to keep.
 */
const USES_GPU = /\btestRuntime\(|GpuRuntime\.create\(|acquireDevice\(|loadOrt\(|loadTfjs\(|createTfjsGpt\(|requestAdapter\(/;
function gpuTestFiles(): string[] {
  const dir = resolve(import.meta.dirname, 'test');
  // A copy of the app without its tests (the fixture-lab test's dev server) has none to run.
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts') && !f.startsWith('e2e'))
    .map((f) => `test/${f.split('\\').join('/')}`)
    .filter((f) => USES_GPU.test(readFileSync(resolve(import.meta.dirname, f), 'utf8')))
    .sort();
}

/**
 * One vitest project per software adapter (issue #28): every unit test on the default adapter
 * (SwiftShader, 4-wide subgroups, no shader-f16; or the user's GPU with GPU_PLAYGROUND_HARDWARE=1),
 * and the GPU tests again on Mesa's lavapipe (8-wide subgroups, shader-f16, 1024 invocations per
 * workgroup) where Dawn accepts it. The project's name is the adapter's and prefixes each test
 * file in the output. Where lavapipe is missing, one line says so and its project is left out.
 */
function driverProjects(): TestProjectInlineConfiguration[] {
  const first = process.env.GPU_PLAYGROUND_HARDWARE ? 'hardware' : 'swiftshader';
  const projects: TestProjectInlineConfiguration[] = [
    { extends: true, test: { name: first, include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'], env: dawnTestEnv() } },
  ];
  // Only a vitest run asks Dawn (about half a second); `vite build` and `vite dev` load this file too.
  if (!process.env.VITEST) return projects;
  // vitest evaluates this file again for each project in the same process: probe and say it once.
  const memo = process.env.GPU_PLAYGROUND_LAVAPIPE_PROBE;
  const lvp: ReturnType<typeof lavapipe> = memo ? JSON.parse(memo) : lavapipe();
  if (!memo) {
    process.env.GPU_PLAYGROUND_LAVAPIPE_PROBE = JSON.stringify(lvp);
    process.stderr.write(
      lvp.ok
        ? `vitest: the GPU tests run on ${first} and on lavapipe (${adapterLabel(lvp.info)}).\n`
        : `vitest: no lavapipe project (${lvp.why}); the GPU tests run on ${first} alone.\n`,
    );
  }
  if (!lvp.ok) return projects;
  projects.push({
    extends: true,
    test: {
      name: 'lavapipe',
      include: gpuTestFiles(),
      env: {
        XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp',
        VK_ICD_FILENAMES: lvp.icd,
        // lavapipe compiles each pipeline with LLVM at its first dispatch; without LLVM's optimisation
        // passes the matmul tests took 77 s instead of 285 s (same busy machine). These tests check
        // results and counts, not speed; the bench (scripts/bench.mjs) keeps the optimiser on.
        GALLIVM_PERF: 'nopt',
      },
      // Compiles still take seconds where SwiftShader takes milliseconds.
      testTimeout: 180_000,
      hookTimeout: 180_000,
    },
  });
  return projects;
}

/**
 * Fails `vite build` when a scenarios/*.json file is invalid (src/scenarios/buildCheck.ts names the
 * file, the field and the problem). The check runs through Vite's module runner, so this config
 * imports no app code; the unit tests run the same check.
 */
function scenarioCheck(): Plugin {
  let root = import.meta.dirname;
  return {
    name: 'gpu-playground:scenario-check',
    apply: (_, env) => env.command === 'build' && !process.env.VITEST,
    configResolved(c) {
      root = c.root;
    },
    async buildStart() {
      type Check = { checkScenarioDir(root: string): Promise<{ files: string[]; errors: string[] }> };
      const { module } = await runnerImport<Check>(resolve(root, 'src/scenarios/buildCheck.ts'), {
        configFile: false,
        root,
        logLevel: 'silent',
      });
      const { files, errors } = await module.checkScenarioDir(root);
      if (errors.length) this.error(`Invalid scenario files:\n  ${errors.join('\n  ')}`);
      this.info(`${files.length} scenario files valid`);
    },
  };
}

/**
 * `scenarios/<id>.json?index`: the scenario without its recorded results (adapter, lab and
 * parameters of each run stay), so the gallery, the URL and the replay lookup bundle small and the
 * results (tens or hundreds of KB) load only when a replay needs them (src/scenarios/index.ts).
 */
function scenarioIndex(): Plugin {
  return {
    name: 'gpu-playground:scenario-index',
    enforce: 'pre',
    load(id) {
      const [file, query] = id.split('?');
      if (query !== 'index' || !file.endsWith('.json')) return null;
      const data = JSON.parse(readFileSync(file, 'utf8'));
      for (const run of data?.recording?.runs ?? []) delete run.result;
      // Emitted as a module, not as JSON text, so no later JSON handling depends on the query.
      return { code: `export default ${JSON.stringify(data)};`, moduleType: 'js' };
    },
  };
}

// The "Check my GPU" report names the app's version and commit, so a failure maps to the code that
// produced it (src/app/selftest); Vite passes VITE_* variables of the environment to import.meta.env.
const described = spawnSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8' });
process.env.VITE_APP_COMMIT ??= described.status === 0 ? described.stdout.trim() : '';
process.env.VITE_APP_VERSION ??= JSON.parse(readFileSync(resolve(import.meta.dirname, 'package.json'), 'utf8')).version;

export default defineConfig({
  // Relative URLs throughout dist/, so the build works from any folder of any static host (a GitHub
  // project page at /REPO/, a blog's /widgets/, a file share), not only at a domain root. Vite turns
  // asset, chunk, worker and ?url references into paths relative to the page or to import.meta.url.
  base: './',
  plugins: [react(), scenarioCheck(), scenarioIndex()],
  build: {
    target: 'es2022',
    // dist/.vite/manifest.json: scripts/bundle-size.mjs reads the entry chunks and their static imports.
    manifest: true,
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        // The embeddable widget (embed.html?scenario=ID): its own small entry, see src/embed/.
        embed: resolve(import.meta.dirname, 'embed.html'),
      },
    },
  },
  worker: { format: 'es' },
  test: {
    setupFiles: ['test/setup/dawn.ts'],
    projects: driverProjects(),
    // Dawn on SwiftShader uses the CPU; more than two forks on two cores only thrashes.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
