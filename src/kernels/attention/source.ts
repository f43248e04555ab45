import flashWgsl from '../../../shaders/attention/flash.wgsl?raw';
import pvWgsl from '../../../shaders/attention/pv.wgsl?raw';
import scoresWgsl from '../../../shaders/attention/scores.wgsl?raw';
import softmaxWgsl from '../../../shaders/attention/softmax.wgsl?raw';
import type { KernelSource } from '../specialise';
import { SOFTMAX_WG, STD_TILE, tileRows, type FlashTile } from './shape';

/**
 * The kernel sources for specialise(): tile sizes are override constants; the tiled kernel's head
 * dimension is a const (`const D: u32 = …u;`), since its private arrays (q and the accumulator)
 * need a fixed size.
 */
export function attentionSource(
  kernel: 'scores' | 'softmax' | 'pv' | 'flash',
  opts: { d?: number; tile?: FlashTile } = {},
): KernelSource {
  switch (kernel) {
    case 'scores':
      return { code: scoresWgsl, label: 'attention/scores', constants: { TILE: STD_TILE } };
    case 'softmax':
      return { code: softmaxWgsl, label: 'attention/softmax', constants: { WG: SOFTMAX_WG } };
    case 'pv':
      return { code: pvWgsl, label: 'attention/pv', constants: { TILE: STD_TILE } };
    case 'flash':
      if (opts.d === undefined || !opts.tile) throw new Error('attention/flash needs the head dimension and the tile.');
      return {
        code: flashWgsl,
        label: `attention/flash-d${opts.d}`,
        constants: { BR: opts.tile.br, BC: opts.tile.bc, ROWS: tileRows(opts.tile) },
        arraySizes: { D: opts.d },
      };
  }
}
