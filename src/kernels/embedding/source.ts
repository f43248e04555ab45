import forwardWgsl from '../../../shaders/embedding/forward.wgsl?raw';
import wpeWgsl from '../../../shaders/embedding/backward_wpe.wgsl?raw';
import wteWgsl from '../../../shaders/embedding/backward_wte.wgsl?raw';
import type { KernelSource } from '../specialise';
import { EMBED_WG, SCATTER_WG } from './limits';

export function embeddingSource(kernel: 'forward' | 'backward_wte' | 'backward_wpe', accumulate = false): KernelSource {
  switch (kernel) {
    case 'forward':
      return { code: forwardWgsl, label: 'embedding/forward', constants: { WG: EMBED_WG } };
    case 'backward_wte':
      return {
        code: wteWgsl,
        label: `embedding/backward_wte${accumulate ? '+acc' : ''}`,
        constants: { WG: SCATTER_WG, ACCUMULATE: accumulate },
      };
    case 'backward_wpe':
      return { code: wpeWgsl, label: 'embedding/backward_wpe', constants: { WG: EMBED_WG } };
  }
}
