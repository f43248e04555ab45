import type { StepTiming } from '../../model/train/backend';
import { SOFTWARE_ADAPTER } from '../../ui/GuardNote';

/**
 * The lesson (Kaplan et al. 2020): a transformer's training FLOPs are about 6 per matmul weight per
 * token, so matmuls take most of a step. Disagreement: in the measured split, the matmuls are not
 * the largest part. Null when they are or nothing was timed.
 */
export function trainGuard(m: { timing: StepTiming | null; software: boolean }): string | null {
  if (!m.timing) return null;
  const parts: [string, number][] = [
    ['attention', m.timing.attention],
    ['norms', m.timing.norms],
    ['embeddings, GELU and loss', m.timing.elementwise],
    ['the optimizer', m.timing.optimizer],
    ['data wait', m.timing.data],
  ];
  const [name, ms] = parts.reduce((a, b) => (b[1] > a[1] ? b : a));
  if (!(m.timing.matmul > 0) || m.timing.matmul >= ms) return null;
  const what = `${name} took longer than the matmuls in the last timed step (${ms.toFixed(2)} vs ${m.timing.matmul.toFixed(2)} ms).`;
  const cap = what[0].toUpperCase() + what.slice(1);
  if (m.software)
    return `${cap} ${SOFTWARE_ADAPTER} Small kernels pay a fixed launch and barrier cost each, which a tiny model’s matmuls do not outweigh.`;
  return `${cap} This model is tiny: each of its many small kernels pays a launch cost that its few FLOPs do not outweigh. At GPT-2 sizes the matmuls dominate.`;
}
