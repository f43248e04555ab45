import normFinalWgsl from '../../../shaders/adamw/norm_final.wgsl?raw';
import normPartialWgsl from '../../../shaders/adamw/norm_partial.wgsl?raw';
import updateWgsl from '../../../shaders/adamw/update.wgsl?raw';
import type { KernelSource } from '../specialise';
import { ADAMW_WG, NORM_FINAL_WG } from './limits';

export function adamwSource(kernel: 'norm_partial' | 'norm_final' | 'update'): KernelSource {
  switch (kernel) {
    case 'norm_partial':
      return { code: normPartialWgsl, label: 'adamw/norm_partial', constants: { WG: ADAMW_WG } };
    case 'norm_final':
      return { code: normFinalWgsl, label: 'adamw/norm_final', constants: { WG: NORM_FINAL_WG } };
    case 'update':
      return { code: updateWgsl, label: 'adamw/update', constants: { WG: ADAMW_WG } };
  }
}
