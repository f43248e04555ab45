import dkvWgsl from '../../../shaders/attentionbackward/dkv.wgsl?raw';
import dqWgsl from '../../../shaders/attentionbackward/dq.wgsl?raw';
import forwardWgsl from '../../../shaders/attentionbackward/forward.wgsl?raw';
import preprocessWgsl from '../../../shaders/attentionbackward/preprocess.wgsl?raw';
import type { KernelSource } from '../specialise';
import { DELTA_WG } from './limits';

/** The backward's kernels: the head dimension is a const (register arrays), the block B an override. */
export function attentionBackwardSource(
  kernel: 'forward' | 'preprocess' | 'dkv' | 'dq',
  d: number,
  tile: number,
): KernelSource {
  const label = `attentionbackward/${kernel}-d${d}`;
  switch (kernel) {
    case 'preprocess':
      return { code: preprocessWgsl, label, constants: { WG: DELTA_WG }, arraySizes: { D: d } };
    case 'dkv':
      return { code: dkvWgsl, label, constants: { B: tile }, arraySizes: { D: d } };
    case 'forward':
      return { code: forwardWgsl, label, constants: { B: tile }, arraySizes: { D: d } };
    case 'dq':
      return { code: dqWgsl, label, constants: { B: tile }, arraySizes: { D: d } };
  }
}
