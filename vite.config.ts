import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { scenarioCheckPlugin } from './src/scenarios/buildCheck';

/** SwiftShader's Vulkan driver from Debian's chromium: real WGSL on the CPU where no GPU is wanted. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export function dawnTestEnv(): Record<string, string> {
  const env: Record<string, string> = { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
  // A user who wants their real GPU in tests sets GPU_PLAYGROUND_HARDWARE=1.
  if (!process.env.GPU_PLAYGROUND_HARDWARE && existsSync(SWIFTSHADER_ICD)) env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  return env;
}

export default defineConfig({
  plugins: [react(), scenarioCheckPlugin()],
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
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**'],
    env: dawnTestEnv(),
    setupFiles: ['test/setup/dawn.ts'],
    // Dawn on SwiftShader uses the CPU; more than two forks on two cores only thrashes.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
