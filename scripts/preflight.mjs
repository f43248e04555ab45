// `npm test` runs this first. The tests need two things outside npm: a WebGPU adapter for Dawn in
// Node (a Vulkan loader, libvulkan.so.1, and a Vulkan driver: SwiftShader from Debian's chromium,
// or a real GPU with GPU_PLAYGROUND_HARDWARE=1) and headless Chromium for the e2e tests. Without
// them every GPU test fails with the same "no adapter", so this checks first and either installs
// Debian's packages (as root, where apt-get exists) or stops with one message naming what is
// missing and the command that installs it.
// Then the second software driver (issue #28): Mesa's lavapipe, whose 8-wide subgroups and
// shader-f16 SwiftShader lacks. Where Dawn has no working lavapipe adapter and this runs as root
// with apt-get, it installs Debian's mesa-vulkan-drivers: on Debian 12 from bookworm-backports
// (Mesa 25; bookworm's own 22.3 is refused by Dawn), adding that suite if no source has it.
// Without it the tests run on SwiftShader alone and vitest says so once (vite.config.ts).
//   GPU_PLAYGROUND_NO_INSTALL=1  never install, only report
//   CHROMIUM_PATH=/path          the Chromium the e2e tests launch (default /usr/bin/chromium)
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { adapterLabel, lavapipe, SWIFTSHADER_ICD } from './drivers.mjs';
const PACKAGES = ['chromium', 'libvulkan1', 'fonts-dejavu-core'];
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hardware = Boolean(process.env.GPU_PLAYGROUND_HARDWARE);

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function hasVulkanLoader() {
  const r = spawnSync('ldconfig', ['-p'], { encoding: 'utf8' });
  if (r.status === 0) return /\blibvulkan\.so\.1\b/.test(r.stdout);
  // No ldconfig on PATH (some non-root shells): look where Debian and most distributions put it.
  return [
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/lib/x86_64-linux-gnu',
  ].some((d) => existsSync(`${d}/libvulkan.so.1`));
}

/** Asks Dawn for an adapter in a child process (a crash or hang there must not take this one down). */
function dawnAdapter() {
  const env = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
  if (!hardware && !env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  const probe = `
    import { create, globals } from 'webgpu';
    Object.assign(globalThis, globals);
    const gpu = create([]);
    const a = await gpu.requestAdapter();
    const info = a ? (a.info ?? {}) : null;
    process.stdout.write(JSON.stringify(info ? { vendor: info.vendor, architecture: info.architecture, description: info.description } : null));
    process.exit(0);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0)
    return { ok: false, why: (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-1)[0] };
  const info = JSON.parse(r.stdout || 'null');
  return info ? { ok: true, info } : { ok: false, why: 'Dawn found no WebGPU adapter' };
}

function check() {
  const missing = [];
  if (!executable(chromiumPath)) missing.push(`Chromium (not found at ${chromiumPath})`);
  if (!hasVulkanLoader()) missing.push('the Vulkan loader libvulkan.so.1');
  else if (!hardware && !process.env.VK_ICD_FILENAMES && !existsSync(SWIFTSHADER_ICD))
    missing.push(`SwiftShader's Vulkan driver (${SWIFTSHADER_ICD}, part of Debian's chromium)`);
  else {
    const a = dawnAdapter();
    if (!a.ok) missing.push(`a WebGPU adapter for Dawn (${a.why})`);
  }
  return missing;
}

const installCmd = `apt-get update && apt-get install -y --no-install-recommends ${PACKAGES.join(' ')}`;
let missing = check();
const root = typeof process.getuid === 'function' && process.getuid() === 0;
const aptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
const mayInstall = root && aptGet && !process.env.GPU_PLAYGROUND_NO_INSTALL;

if (missing.length && mayInstall) {
  process.stderr.write(
    `preflight: missing ${missing.join('; ')}. Installing Debian's ${PACKAGES.join(', ')} (apt-get)…\n`,
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  const install =
    update.status === 0
      ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...PACKAGES], {
          stdio: ['ignore', 'ignore', 'inherit'],
          env,
        })
      : update;
  if (install.status !== 0) process.stderr.write(`preflight: apt-get failed (exit ${install.status}).\n`);
  missing = check();
}

if (missing.length) {
  const how = aptGet
    ? `Install with:\n  ${root ? '' : 'sudo sh -c "'}${installCmd}${root ? '' : '"'}`
    : `Install Chromium and a Vulkan loader (libvulkan.so.1) with your system's package manager, or set CHROMIUM_PATH to a Chromium and GPU_PLAYGROUND_HARDWARE=1 to use your own GPU's Vulkan driver.`;
  process.stderr.write(
    `\nCannot run the tests: missing ${missing.join('; ')}.\n${how}\nThen run npm test again. (No test was run.)\n\n`,
  );
  process.exit(1);
}
process.stderr.write(
  `preflight: Chromium at ${chromiumPath}; Dawn has a WebGPU adapter${hardware ? ' (hardware)' : ''}.\n`,
);

// ---- lavapipe, the second driver ----

function osRelease() {
  try {
    return Object.fromEntries(
      readFileSync('/etc/os-release', 'utf8')
        .split('\n')
        .map((l) => /^([A-Z_]+)=("?)(.*)\2$/.exec(l))
        .filter(Boolean)
        .map((m) => [m[1], m[3]]),
    );
  } catch {
    return {};
  }
}

/** Every apt source file's text: sources.list (one-line format) and sources.list.d (both formats). */
function aptSources() {
  const files = ['/etc/apt/sources.list'];
  try {
    for (const f of readdirSync('/etc/apt/sources.list.d'))
      if (f.endsWith('.list') || f.endsWith('.sources')) files.push(`/etc/apt/sources.list.d/${f}`);
  } catch {
    // No sources.list.d: only sources.list.
  }
  return files.filter((f) => existsSync(f)).map((f) => ({ file: f, text: readFileSync(f, 'utf8') }));
}

const BACKPORTS_FILE = '/etc/apt/sources.list.d/gpu-playground-bookworm-backports.sources';

/**
 * Makes sure apt knows the bookworm-backports suite; returns the file it wrote, or null when a source
 * already had it. The entry copies the archive and keyring of the main bookworm entry (deb822
 * debian.sources on Debian 12, or a one-line sources.list), so a mirror the machine uses is kept.
 */
function ensureBackports() {
  const sources = aptSources();
  const active = (t) => t.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
  if (sources.some(({ text }) => /\bbookworm-backports\b/.test(active(text)))) return null;
  let uri = 'http://deb.debian.org/debian';
  let signedBy = '/usr/share/keyrings/debian-archive-keyring.gpg';
  for (const { text } of sources) {
    for (const stanza of active(text).split(/\n\s*\n/)) {
      const field = (name) => new RegExp(`^${name}:\\s*(.+)$`, 'mi').exec(stanza)?.[1].trim();
      const suites = field('Suites')?.split(/\s+/) ?? [];
      if (suites.includes('bookworm') && field('URIs')) {
        uri = field('URIs').split(/\s+/)[0];
        signedBy = field('Signed-By') ?? signedBy;
      }
    }
    const line = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(active(text));
    if (line) uri = line[1];
  }
  writeFileSync(
    BACKPORTS_FILE,
    `# Added by gpu-playground's npm test (scripts/preflight.mjs): Mesa 25's lavapipe for WebGPU tests.\n` +
      `Types: deb\nURIs: ${uri}\nSuites: bookworm-backports\nComponents: main\nSigned-By: ${signedBy}\n`,
  );
  return BACKPORTS_FILE;
}

function apt(args) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  return spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env }).status === 0;
}

let lvp = lavapipe();
if (!lvp.ok && mayInstall) {
  const os = osRelease();
  const bookworm = os.ID === 'debian' && (os.VERSION_ID === '12' || os.VERSION_CODENAME === 'bookworm');
  let installed;
  if (bookworm) {
    const added = ensureBackports();
    process.stderr.write(
      `preflight: ${lvp.why}. Installing Mesa's lavapipe from Debian's bookworm-backports (Mesa 25; bookworm's own 22.3 is refused by Dawn)` +
        `${added ? `, after adding that suite in ${added}` : ''}…\n`,
    );
    installed =
      apt(['update', '-qq']) &&
      apt(['install', '-y', '-qq', '--no-install-recommends', '-t', 'bookworm-backports', 'mesa-vulkan-drivers']);
  } else {
    process.stderr.write(`preflight: ${lvp.why}. Installing the system's mesa-vulkan-drivers (apt-get)…\n`);
    installed = apt(['update', '-qq']) && apt(['install', '-y', '-qq', '--no-install-recommends', 'mesa-vulkan-drivers']);
  }
  lvp = lavapipe();
  if (!installed) process.stderr.write('preflight: apt-get could not install mesa-vulkan-drivers.\n');
  if (lvp.ok) process.stderr.write(`preflight: lavapipe installed (${adapterLabel(lvp.info)}).\n`);
}
// vitest then names the lavapipe adapter, or says once why there is none and that the tests run
// on SwiftShader alone (vite.config.ts).
