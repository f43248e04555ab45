import {
  ACTIVATION_TOLERANCE,
  ACTIVATION_VARIANTS,
  createActivationInputs,
  prepareActivation,
} from '../../kernels/activation';
import { compareOutputs } from '../../kernels/check';
import {
  castReference,
  compareBits,
  edgeCases,
  logNormalGradient,
  prepareCast,
  type CastStats,
} from '../../kernels/precision';
import type { PreparedCase, SelfTestCase } from '../types';
import { guarded } from './outputs';

/** Not a multiple of 4 (the vec4 tail), of 256 (the workgroup) or of H (a partial last row). */
const ACTIVATION_SHAPE = { n: 1031, h: 12 };

function activationCases(): SelfTestCase[] {
  return ACTIVATION_VARIANTS.map((variant) => ({
    family: 'elementwise',
    variant: `bias + GELU + residual, ${variant.replace('_', ' ')}`,
    shape: `N=${ACTIVATION_SHAPE.n} H=${ACTIVATION_SHAPE.h}`,
    tolerance: () => ACTIVATION_TOLERANCE,
    async prepare(rt): Promise<PreparedCase> {
      const inputs = await createActivationInputs(rt, ACTIVATION_SHAPE, 5);
      const k = await guarded(
        () => inputs.dispose(),
        () => prepareActivation(rt, variant, inputs),
      );
      return {
        steps: k.steps,
        outputs: async () => [{ name: 'out', check: await k.compare() }],
        dispose: () => {
          k.dispose();
          inputs.dispose();
        },
      };
    },
  }));
}

const counts = (s: CastStats) => [
  s.fp16.underflow,
  s.fp16.subnormal,
  s.fp16.overflow,
  s.bf16.underflow,
  s.bf16.subnormal,
  s.bf16.overflow,
  s.nonzero,
];

/**
 * The fp16/bf16 cast, bit for bit (tolerance 0): IEEE edge cases (ties, subnormals, overflow,
 * signed zeros, infinities) then a log-normal gradient sample, and its range counts exactly.
 */
function castCase(): SelfTestCase {
  const input = Float32Array.from([...edgeCases(), ...logNormalGradient({ n: 333, seed: 9 })]);
  return {
    family: 'elementwise',
    variant: 'fp16/bf16 cast with range counts',
    shape: `${input.length} values (IEEE edge cases + log-normal gradients)`,
    tolerance: () => 0,
    async prepare(rt): Promise<PreparedCase> {
      const k = await prepareCast(rt, input);
      const ref = castReference(input, k.scale);
      return {
        steps: k.steps,
        outputs: async () => [
          { name: 'bits', check: compareBits(await k.readBits(), ref.bits) },
          { name: 'counts', check: compareOutputs(counts(await k.stats()), counts(ref.stats)) },
        ],
        dispose: () => k.dispose(),
      };
    },
  };
}

export function elementwiseCases(): SelfTestCase[] {
  return [...activationCases(), castCase()];
}
