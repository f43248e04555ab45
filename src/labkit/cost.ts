import type { ParamSchema, ParamValues } from './schema';

/**
 * A modelled cost for any lab, from its schema alone: every numeric parameter set above its default
 * multiplies the work by value / default (sizes, counts, iterations and repetitions all scale the
 * work at least linearly; values at or below the default count as 1). It is a floor, not a
 * prediction (attention's N² counts as N), and that is enough for its one use: in a lab that runs
 * GPU kernels, a configuration modelled at more than HEAVY_FACTOR times the default's work never
 * starts by itself, it waits for a click (so a link like `?lab=attention&n=16384` cannot load a
 * visitor's GPU). Simulations are not gated: their parameters (seeds, times) are not work sizes.
 */
export const HEAVY_FACTOR = 32;

export interface Load {
  /** Modelled work relative to the lab's defaults (1 = the default setup). */
  factor: number;
  /** The parameters that raise it, largest first, as "N = 16384 (64×)". */
  drivers: string[];
}

export function modelledLoad(schema: ParamSchema, values: Readonly<ParamValues>): Load {
  let factor = 1;
  const parts: { text: string; f: number }[] = [];
  for (const spec of schema) {
    if (spec.kind !== 'int' && spec.kind !== 'number') continue;
    const v = values[spec.key];
    if (typeof v !== 'number' || !(spec.default > 0) || v <= spec.default) continue;
    const f = v / spec.default;
    factor *= f;
    parts.push({ text: `${spec.label} = ${v} (${f >= 10 ? Math.round(f) : Number(f.toFixed(1))}×)`, f });
  }
  return { factor, drivers: parts.sort((a, b) => b.f - a.f).map((p) => p.text) };
}

/** Null when the setup may start by itself; otherwise the sentence the page shows beside Run. */
export function heavyNotice(lab: { gpu: string; schema: ParamSchema }, values: Readonly<ParamValues>): string | null {
  if (lab.gpu !== 'required') return null;
  const { factor, drivers } = modelledLoad(lab.schema, values);
  if (factor <= HEAVY_FACTOR) return null;
  const times =
    factor >= 1e6 ? factor.toExponential(1).replace('e+', ' × 10^') : Math.round(factor).toLocaleString('en');
  return `Heavy setup: about ${times}× the default’s work (${drivers.slice(0, 3).join(', ')}), so it does not start by itself. Press Run to start it.`;
}
