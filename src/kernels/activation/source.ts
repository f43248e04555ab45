import biasWgsl from '../../../shaders/activation/unfused_bias.wgsl?raw';
import geluPassWgsl from '../../../shaders/activation/unfused_gelu.wgsl?raw';
import residualWgsl from '../../../shaders/activation/unfused_residual.wgsl?raw';
import fusedWgsl from '../../../shaders/activation/fused.wgsl?raw';
import fusedVec4Wgsl from '../../../shaders/activation/fused_vec4.wgsl?raw';
import geluLib from '../../../shaders/activation/gelu.wgsl?raw';
import type { KernelSource } from '../specialise';

export const WORKGROUP_SIZE = 256;

/** The WGSL of each activation kernel for specialise(); gelu() and gelu4() come from gelu.wgsl, joined in front. */
export function activationSource(kernel: 'bias' | 'gelu' | 'residual' | 'fused' | 'fused_vec4'): KernelSource {
  const label = `activation/${kernel}`;
  switch (kernel) {
    case 'bias':
      return { code: biasWgsl, label };
    case 'gelu':
      return { code: `${geluLib}\n${geluPassWgsl}`, label };
    case 'residual':
      return { code: residualWgsl, label };
    case 'fused':
      return { code: `${geluLib}\n${fusedWgsl}`, label };
    case 'fused_vec4':
      return { code: `${geluLib}\n${fusedVec4Wgsl}`, label };
  }
}
