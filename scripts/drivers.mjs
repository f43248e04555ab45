// The software WebGPU adapters the tests and the bench run on, found by asking Dawn, not by package
// names: Debian 12's own lavapipe (Mesa 22.3) is installed as a driver file but Dawn refuses it
// ("shaderUniform*ArrayDynamicIndexing required"); Mesa 25's is accepted. Shared by
// scripts/preflight.mjs (which installs lavapipe where it can), vite.config.ts (one vitest project
// per adapter) and scripts/bench.mjs (rows for each adapter). Issue #28.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** SwiftShader's Vulkan driver from Debian's chromium: 4-wide subgroups, no shader-f16. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Mesa's lavapipe (llvmpipe Vulkan): 8-wide subgroups and shader-f16 from Mesa 25. Mesa 25 names
 * its driver file lvp_icd.json; Mesa 22.3 named it lvp_icd.<arch>.json.
 */
export const LAVAPIPE_ICDS = [
  '/usr/share/vulkan/icd.d/lvp_icd.json',
  '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json',
  '/usr/share/vulkan/icd.d/lvp_icd.aarch64.json',
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The first lavapipe driver file present, or null. */
export function lavapipeIcd() {
  return LAVAPIPE_ICDS.find((p) => existsSync(p)) ?? null;
}

/**
 * Asks Dawn for an adapter with only `icd` visible to the Vulkan loader, in a child process (a
 * crash or hang there must not take the caller down). `icd` null: the loader's own choice (a real
 * GPU). Returns { ok: true, info } with the adapter's name, features and the limits the tests
 * depend on, or { ok: false, why }.
 */
export function probeAdapter(icd) {
  const env = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
  delete env.VK_DRIVER_FILES;
  if (icd) env.VK_ICD_FILENAMES = icd;
  else delete env.VK_ICD_FILENAMES;
  const probe = `
    import { create, globals } from 'webgpu';
    Object.assign(globalThis, globals);
    const gpu = create([]);
    const a = await gpu.requestAdapter();
    let out = null;
    if (a) {
      const i = a.info ?? {};
      out = { vendor: i.vendor, architecture: i.architecture, description: i.description,
        subgroupMinSize: i.subgroupMinSize ?? null, subgroupMaxSize: i.subgroupMaxSize ?? null,
        features: [...a.features].sort(),
        maxComputeInvocationsPerWorkgroup: a.limits.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupStorageSize: a.limits.maxComputeWorkgroupStorageSize };
    }
    process.stdout.write(JSON.stringify(out));
    process.exit(0);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) {
    const last = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-1)[0];
    return { ok: false, why: last };
  }
  const info = JSON.parse(r.stdout || 'null');
  if (!info) {
    // Dawn prints why it skipped a Vulkan driver (e.g. a missing required feature) on stderr.
    const lines = (r.stderr || '').split('\n');
    const why = lines.find((l) => /required/i.test(l)) ?? lines.find((l) => /not supported|Vulkan/i.test(l));
    return { ok: false, why: why ? `Dawn refused it: ${why.trim()}` : 'Dawn found no adapter with this driver' };
  }
  return { ok: true, info };
}

/**
 * The lavapipe adapter Dawn accepts: { ok: true, icd, info } or { ok: false, why } naming what is
 * missing (no driver file, or Dawn refusing Mesa 22.3's).
 */
export function lavapipe() {
  const icd = lavapipeIcd();
  if (!icd) return { ok: false, why: 'Mesa lavapipe is not installed (no /usr/share/vulkan/icd.d/lvp_icd*.json)' };
  // Probed on every call (about half a second): a driver installed or upgraded since is seen at once.
  const r = probeAdapter(icd);
  return r.ok ? { ok: true, icd, info: r.info } : { ok: false, icd, why: `${icd}: ${r.why}` };
}

/** "llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6)" → "Mesa 25.0.7", for one-line messages. */
export function adapterLabel(info) {
  const mesa = /Mesa ([\d.]+)/.exec(info?.description ?? '');
  return mesa ? `${info.description.split(':')[0]}, Mesa ${mesa[1]}` : `${info?.vendor}/${info?.architecture}`;
}
