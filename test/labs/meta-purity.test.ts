import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A lab's meta.ts is eager (the gallery, navigation and URL validation load every one of them), so
 * it may import only pure files: a kernel folder's shape, cost, reference and limits, never its GPU
 * half (source.ts with the ?raw WGSL, host.ts, measure.ts) nor the GPU runtime. This walks the
 * runtime imports (type-only imports vanish at build time) from every meta.ts.
 */
const root = resolve(import.meta.dirname, '../..');
const labs = join(root, 'src/labs');

const RUNTIME_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null; // packages are checked by the layering rules
  const base = resolve(dirname(from), spec);
  for (const f of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')])
    if (existsSync(f) && f.match(/\.(ts|tsx)$/)) return f;
  return base; // ?raw and other non-TS imports: kept by name
}

function reach(file: string, seen = new Map<string, string>()): Map<string, string> {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(RUNTIME_IMPORT)) {
    const target = resolveImport(file, m[1]);
    if (!target || seen.has(target)) continue;
    seen.set(target, relative(root, file));
    if (target.match(/\.(ts|tsx)$/)) reach(target, seen);
  }
  return seen;
}

const GPU_HALF =
  /(\?raw$|\.wgsl|src\/kernels\/[^/]+\/(host|source|measure)\.ts$|src\/kernels\/(measure|specialise)\.ts$|src\/gpu\/(?!errors\.ts$))/;

describe('lab metas import only pure files', () => {
  const metas = readdirSync(labs, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(labs, d.name, 'meta.ts')))
    .map((d) => join(labs, d.name, 'meta.ts'));

  it('finds the labs', () => expect(metas.length).toBeGreaterThanOrEqual(7));

  for (const meta of metas) {
    it(relative(root, meta), () => {
      const bad = [...reach(meta)]
        .filter(([f]) => GPU_HALF.test(relative(root, f).replaceAll('\\', '/')))
        .map(([f, by]) => `${relative(root, f)} (imported by ${by})`);
      expect(bad).toEqual([]);
    });
  }

  it('would catch a GPU import: the walker sees host.ts behind a kernel index', () => {
    const reached = [...reach(join(root, 'src/kernels/kvcache/index.ts')).keys()].map((f) => relative(root, f));
    expect(reached.some((f) => GPU_HALF.test(f))).toBe(true);
  });
});
