import permuteWgsl from '../../../shaders/heads/permute.wgsl?raw';
import type { KernelSource } from '../specialise';
import { HEADS_WG } from './limits';

export function headsSource(toHeads: boolean): KernelSource {
  return {
    code: permuteWgsl,
    label: `heads/${toHeads ? 'to_heads' : 'from_heads'}`,
    constants: { WG: HEADS_WG, TO_HEADS: toHeads },
  };
}
