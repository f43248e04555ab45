import forwardWgsl from '../../../shaders/layernorm/forward.wgsl?raw';
import backwardDxWgsl from '../../../shaders/layernorm/backward_dx.wgsl?raw';
import backwardParamsWgsl from '../../../shaders/layernorm/backward_params.wgsl?raw';
import type { KernelSource } from '../specialise';
import { LAYERNORM_WG } from './limits';

/** The LayerNorm kernels for specialise(): WG an override constant, the row cache sized to cols. */
export function layerNormSource(
  kernel: 'forward' | 'backward_dx' | 'backward_params',
  cols: number,
  accumulate = false,
): KernelSource {
  const constants = { WG: LAYERNORM_WG };
  switch (kernel) {
    case 'forward':
      return { code: forwardWgsl, label: 'layernorm/forward', constants, arraySizes: { ROW: cols } };
    case 'backward_dx':
      return {
        code: backwardDxWgsl,
        label: `layernorm/backward_dx${accumulate ? '+acc' : ''}`,
        constants: { ...constants, ACCUMULATE: accumulate },
        arraySizes: { ROW: cols },
      };
    case 'backward_params':
      return { code: backwardParamsWgsl, label: 'layernorm/backward_params', constants };
  }
}
