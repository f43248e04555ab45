// Reports the gzip size of each production entry's initial JavaScript: the entry chunk plus every
// chunk it imports statically (what the browser must load before the page can run). Chunks loaded
// on demand (labs, peers) are listed separately. Reads dist/.vite/manifest.json from `vite build`.
// Usage: node scripts/bundle-size.mjs [--dist DIR] [--json]
// Exits 1 when an entry is over its budget (embed < 200 KB gzip, main app < 300 KB gzip: issue 8).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const dist = args.includes('--dist') ? args[args.indexOf('--dist') + 1] : 'dist';
const asJson = args.includes('--json');
const BUDGETS = { 'index.html': 300_000, 'embed.html': 200_000 };

const manifestPath = join(dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error(`${manifestPath} is missing: build first (npm run build, or npx vite build --outDir ${dist}).`);
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const sizeCache = new Map();
function sizes(file) {
  if (!sizeCache.has(file)) {
    const buf = readFileSync(join(dist, file));
    sizeCache.set(file, { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length });
  }
  return sizeCache.get(file);
}

/** The entry and its static imports, transitively; dynamic imports stay out. */
function initialChunks(key) {
  const seen = new Set();
  const walk = (k) => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const i of manifest[k].imports ?? []) walk(i);
  };
  walk(key);
  return [...seen];
}

const entries = Object.entries(manifest).filter(([, c]) => c.isEntry);
const initialFiles = new Set();
const report = entries.map(([key, chunk]) => {
  const keys = initialChunks(key);
  const js = keys.map((k) => manifest[k].file);
  js.forEach((f) => initialFiles.add(f));
  const css = [...new Set(keys.flatMap((k) => manifest[k].css ?? []))];
  const sum = (files) =>
    files.reduce((a, f) => ({ raw: a.raw + sizes(f).raw, gzip: a.gzip + sizes(f).gzip }), { raw: 0, gzip: 0 });
  const budget = BUDGETS[key] ?? null;
  const jsSize = sum(js);
  return {
    entry: key,
    file: chunk.file,
    chunks: js,
    js: jsSize,
    css: sum(css),
    budget,
    ok: budget === null || jsSize.gzip < budget,
  };
});
const lazy = Object.values(manifest)
  .filter((c) => c.file.endsWith('.js') && !initialFiles.has(c.file))
  .map((c) => ({ file: c.file, src: c.src ?? c.name, ...sizes(c.file) }))
  .sort((a, b) => b.gzip - a.gzip);

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
if (asJson) console.log(JSON.stringify({ dist, entries: report, lazy }, null, 2));
else {
  console.log(`Initial JavaScript per entry (${dist}), gzip level 9:`);
  for (const r of report) {
    const verdict =
      r.budget === null ? '' : r.ok ? `  under the ${kb(r.budget)} budget` : `  OVER the ${kb(r.budget)} budget`;
    console.log(
      `  ${r.entry.padEnd(12)} ${kb(r.js.gzip).padStart(9)} gzip (${kb(r.js.raw)} raw, ${r.chunks.length} chunks; CSS ${kb(r.css.gzip)} gzip)${verdict}`,
    );
  }
  console.log('Loaded on demand (largest first):');
  for (const l of lazy.slice(0, 15)) console.log(`  ${kb(l.gzip).padStart(9)} gzip  ${l.src ?? l.file}`);
  if (lazy.length > 15) console.log(`  … and ${lazy.length - 15} more`);
}
process.exit(report.every((r) => r.ok) ? 0 : 1);
