import type { SelfTestCase } from '../types';
import { attentionCases } from './attention';
import { decodeCases } from './decode';
import { elementwiseCases } from './elementwise';
import { matmulCases } from './matmul';
import { trainingCases } from './training';

/** Kernel families in the order the page and the CLI run them. */
export const FAMILIES = ['matmul', 'attention', 'decode', 'training', 'elementwise'] as const;
export type Family = (typeof FAMILIES)[number];

export const FAMILY_LABELS: Record<Family, string> = {
  matmul: 'Matmul ladder',
  attention: 'Attention',
  decode: 'Decode: KV attention and quantized GEMV',
  training: 'Training kernels',
  elementwise: 'Activation and precision',
};

const BUILDERS: Record<Family, () => SelfTestCase[]> = {
  matmul: matmulCases,
  attention: attentionCases,
  decode: decodeCases,
  training: trainingCases,
  elementwise: elementwiseCases,
};

/**
 * Every kernel variant's case, built from the kernels' own lists (MATMUL_VARIANTS, FLASH_ROWS,
 * QUANT_VARIANTS, FEATURE_BUILDS, ACTIVATION_VARIANTS, …): a variant added to one of those lists
 * is checked here without an edit. `families` picks some (all by default).
 */
export function selfTestCases(families: readonly Family[] = FAMILIES): SelfTestCase[] {
  return families.flatMap((f) => BUILDERS[f]());
}

export function isFamily(s: string): s is Family {
  return (FAMILIES as readonly string[]).includes(s);
}
