import { fmtRatio } from '../../ui/format';

/**
 * The lesson (Leviathan et al. 2023): speculative decoding pays when the draft is cheap, its cost c
 * (draft time ÷ target time per token) about its share of the target's parameters. Disagreement:
 * the measured c is more than twice the parameter ratio, so the speedups shown fall short of the
 * paper's formula with c from the parameters.
 */
export function serveGuard(m: { cMeasured: number; cParams: number }): string | null {
  if (!(m.cMeasured > 0) || !(m.cParams > 0)) return null;
  if (m.cMeasured <= 2 * m.cParams) return null;
  return `The draft model costs c = ${m.cMeasured.toFixed(2)} of the target per token, ${fmtRatio(m.cMeasured / m.cParams)} its share of the parameters (${m.cParams.toFixed(2)}). Both models are tiny, and this page’s CPU path pays per layer and per call a fixed cost that does not shrink with the model, so the draft is relatively dear; with billion-parameter models the weights dominate and c follows the parameter ratio.`;
}
