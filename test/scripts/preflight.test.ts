import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '../../scripts/preflight.mjs');

function preflight(env: Record<string, string>) {
  return spawnSync(process.execPath, [script], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 90_000 });
}

describe('npm test preflight (scripts/preflight.mjs)', () => {
  it('stops before any test with one message naming what is missing and the install command', () => {
    const r = preflight({ CHROMIUM_PATH: '/nonexistent/gpu-playground/chromium', GPU_PLAYGROUND_NO_INSTALL: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'Cannot run the tests: missing Chromium (not found at /nonexistent/gpu-playground/chromium)',
    );
    expect(r.stderr).toContain(
      'apt-get update && apt-get install -y --no-install-recommends chromium libvulkan1 fonts-dejavu-core',
    );
    expect(r.stderr).toContain('No test was run.');
    // One message, not one per failing check: the reason appears exactly once, and nothing was installed.
    expect(r.stderr.match(/Cannot run the tests/g)).toHaveLength(1);
    expect(r.stderr).not.toContain('Installing');
    expect(r.stdout).toBe('');
  });

  it('passes where Chromium and a Dawn adapter are present (as on the machine running these tests)', () => {
    const r = preflight({ GPU_PLAYGROUND_NO_INSTALL: '1' });
    expect(r.stderr).toMatch(/^preflight: Chromium at .+; Dawn has a WebGPU adapter/);
    expect(r.status).toBe(0);
  });
});
