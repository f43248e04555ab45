import contiguousWgsl from '../../../shaders/kvcache/contiguous.wgsl?raw';
import pagedWgsl from '../../../shaders/kvcache/paged.wgsl?raw';
import type { KernelSource } from '../specialise';
import type { KvLayout } from './cost';
import { WORKGROUP_SIZE } from './limits';

/** The decode-attention kernel of a layout for specialise(): every size is an override constant. */
export function kvSource(layout: KvLayout, o: { headDim: number; blockSize: number; maxCtx: number }): KernelSource {
  const constants = { WORKGROUP_SIZE, HEAD_DIM: o.headDim, BLOCK_SIZE: o.blockSize, MAX_CTX: o.maxCtx };
  return layout === 'paged'
    ? {
        code: pagedWgsl,
        label: 'kvcache/paged',
        constants: { ...constants, MAX_BLOCKS: Math.ceil(o.maxCtx / o.blockSize) },
      }
    : { code: contiguousWgsl, label: 'kvcache/contiguous', constants };
}
