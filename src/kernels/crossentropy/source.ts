import backwardWgsl from '../../../shaders/crossentropy/backward.wgsl?raw';
import forwardWgsl from '../../../shaders/crossentropy/forward.wgsl?raw';
import meanWgsl from '../../../shaders/crossentropy/mean.wgsl?raw';
import type { KernelSource } from '../specialise';
import { CE_MEAN_WG, CE_ROW_WG } from './limits';

export function crossEntropySource(kernel: 'forward' | 'mean' | 'backward'): KernelSource {
  switch (kernel) {
    case 'forward':
      return { code: forwardWgsl, label: 'crossentropy/forward', constants: { WG: CE_ROW_WG } };
    case 'mean':
      return { code: meanWgsl, label: 'crossentropy/mean', constants: { WG: CE_MEAN_WG } };
    case 'backward':
      return { code: backwardWgsl, label: 'crossentropy/backward', constants: { WG: CE_ROW_WG } };
  }
}
