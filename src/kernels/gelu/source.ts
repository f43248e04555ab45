import geluLib from '../../../shaders/activation/gelu.wgsl?raw';
import backwardWgsl from '../../../shaders/gelu/backward.wgsl?raw';
import forwardWgsl from '../../../shaders/gelu/forward.wgsl?raw';
import type { KernelSource } from '../specialise';
import { GELU_WG } from './limits';

/** GELU forward / backward with the activation lab's gelu() (and its constants) prepended. */
export function geluSource(kernel: 'forward' | 'backward', bias: boolean): KernelSource {
  return {
    code: `${geluLib}\n${kernel === 'forward' ? forwardWgsl : backwardWgsl}`,
    label: `gelu/${kernel}${bias ? '+bias' : ''}`,
    constants: { WG: GELU_WG, HAS_BIAS: bias },
  };
}
