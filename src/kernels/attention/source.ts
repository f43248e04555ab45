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
  opts: {
    d?: number;
    tile?: FlashTile;
    /** The tiled kernel's Q, K and V element type: 'f16' needs shader-f16 (math stays f32). */
    storage?: 'f32' | 'f16';
  } = {},
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
      if (opts.storage === 'f16')
        return {
          code: flashF16(flashWgsl),
          label: `attention/flash-d${opts.d}+f16`,
          constants: { BR: opts.tile.br, BC: opts.tile.bc, ROWS: tileRows(opts.tile) },
          arraySizes: { D: opts.d, QKV_BYTES: 2 },
        };
      return {
        code: flashWgsl,
        label: `attention/flash-d${opts.d}`,
        constants: { BR: opts.tile.br, BC: opts.tile.bc, ROWS: tileRows(opts.tile) },
        arraySizes: { D: opts.d },
      };
  }
}

/**
 * The f16-storage build of flash.wgsl: the same kernel with Q, K and V bound as vec4<f16> (its
 * `alias QKV` line) and f16 enabled. The directive goes on the first line, ahead of the comment
 * there, so the compiler's line numbers still match the file.
 */
function flashF16(code: string): string {
  const alias = /^alias QKV = vec4<f32>;$/m;
  if (!alias.test(code)) throw new Error('attention/flash: the shader has no "alias QKV = vec4<f32>;" line to retype');
  return `enable f16; ${code.replace(alias, 'alias QKV = vec4<f16>;')}`;
}
