/**
 * Loops in a WGSL kernel whose trip count is fixed when the pipeline is built: both the start and
 * the bound use only literals, `const`s and `override`s. Compilers unroll such loops; nested, the
 * written-out code multiplies, and a driver that compiles lazily with LLVM (Mesa's llvmpipe emits
 * each workgroup-memory access once per SIMD lane and component) spends seconds to minutes on it
 * at the first dispatch. Kernels whose loops scale with tile sizes keep a run-time bound instead;
 * this finds the ones that do not. A textual check of `for (var x = A; x < B; …)` headers (and
 * `x > B`, the count-down of tree reductions), the only loop forms the kernels in shaders/ use.
 */
export interface FixedLoop {
  /** 1-based line of the loop header in the file. */
  line: number;
  header: string;
}

const FOR_HEADER = /for\s*\(\s*var\s+(\w+)\s*(?::\s*\w+\s*)?=\s*([^;]+);\s*\1\s*(?:<=?|>=?)\s*([^;]+);/g;
const DECLARED = /^\s*(?:const|override)\s+(\w+)\s*[:=]/gm;
const WGSL_TYPES = new Set(['u32', 'i32', 'f32', 'f16']);

export function fixedTripLoops(code: string): FixedLoop[] {
  const constants = new Set<string>();
  for (const m of code.matchAll(DECLARED)) constants.add(m[1]);
  const isFixed = (expr: string) =>
    (expr.match(/[A-Za-z_]\w*/g) ?? []).every((id) => constants.has(id) || WGSL_TYPES.has(id) || /^\d+u?$/.test(id));
  const out: FixedLoop[] = [];
  for (const m of code.matchAll(FOR_HEADER)) {
    // Identifiers only: numeric literals with a suffix (4u, 1.0) have no letter-initial token left.
    const [, , init, bound] = m;
    if (isFixed(init.replace(/\b\d+(\.\d+)?[uif]?\b/g, '')) && isFixed(bound.replace(/\b\d+(\.\d+)?[uif]?\b/g, '')))
      out.push({ line: code.slice(0, m.index).split('\n').length, header: m[0] });
  }
  return out;
}
