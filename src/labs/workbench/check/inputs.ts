import type { BindingSpec } from '../exercise';
import { mulberry32 } from '../../../kernels/random';
import { evaluate, type Scope } from './expr';

/** Sizes of one case plus the exercise's derived names (n = rows * cols, ...). */
export function caseScope(sizes: Record<string, number>, derived: Record<string, string>): Scope {
  const scope: Scope = { ...sizes };
  for (const [k, e] of Object.entries(derived)) scope[k] = evaluate(e, scope);
  return scope;
}

export function elementCount(b: BindingSpec, scope: Scope): number {
  const n = evaluate(b.length, scope);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`binding ${b.name}: length ${b.length} = ${n} is not a whole number`);
  return n;
}

/** Fills one hidden input from its init rule; the seed mixes in the binding so inputs differ. */
export function generateInput(b: BindingSpec, scope: Scope, seed: number): Float32Array | Uint32Array {
  const n = elementCount(b, scope);
  const next = mulberry32(seed * 7919 + b.binding * 104729 + 1);
  const init = b.init ?? { dist: 'uniform' as const, lo: -1, hi: 1 };
  if (init.dist === 'uniform') {
    const out = b.type === 'f32' ? new Float32Array(n) : new Uint32Array(n);
    for (let i = 0; i < n; i++)
      out[i] =
        b.type === 'f32' ? init.lo + next() * (init.hi - init.lo) : Math.floor(init.lo + next() * (init.hi - init.lo));
    return out;
  }
  const total = evaluate(init.of, scope);
  if (n > total) throw new Error(`binding ${b.name}: needs ${n} distinct values but only ${total} exist`);
  const all = Array.from({ length: total }, (_, i) => i);
  for (let i = total - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return Uint32Array.from(all.slice(0, n));
}
