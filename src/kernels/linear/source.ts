import addBiasWgsl from '../../../shaders/linear/add_bias.wgsl?raw';
import biasGradWgsl from '../../../shaders/linear/bias_grad.wgsl?raw';
import type { KernelSource } from '../specialise';
import { ADD_BIAS_WG, BIAS_GRAD_WG } from './limits';

/** The two small kernels of the linear layer; its products are matmulSource('register-blocked', …). */
export function linearSource(kernel: 'bias_grad' | 'add_bias'): KernelSource {
  return kernel === 'bias_grad'
    ? { code: biasGradWgsl, label: 'linear/bias_grad', constants: { WG: BIAS_GRAD_WG } }
    : { code: addBiasWgsl, label: 'linear/add_bias', constants: { WG: ADD_BIAS_WG } };
}
