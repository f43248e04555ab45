import naiveWgsl from '../../../shaders/matmul/naive.wgsl?raw';
import registerBlockedWgsl from '../../../shaders/matmul/register_blocked.wgsl?raw';
import registerBlockedVec4Wgsl from '../../../shaders/matmul/register_blocked_vec4.wgsl?raw';
import tiledWgsl from '../../../shaders/matmul/tiled.wgsl?raw';
import type { KernelSource } from '../specialise';
import { effectiveShape, type MatmulVariant, type TileShape } from './types';

/**
 * The WGSL text, override constants and array sizes for one variant and tile shape, for
 * specialise() (src/kernels/specialise.ts). Tile sizes and transpose are override constants; only
 * array sizes cannot be (workgroup and register arrays need a size fixed at module creation).
 */
export function matmulSource(variant: MatmulVariant, shape: TileShape, opts: { transposeB?: boolean } = {}): KernelSource {
  const s = effectiveShape(variant, shape);
  const label = `matmul/${variant}`;
  const flags = { TRANSPOSE_B: Boolean(opts.transposeB) };
  if (variant === 'naive') return { code: naiveWgsl, label, constants: { WG_X: s.tileN, WG_Y: s.tileM, ...flags } };
  const tiles = { A_TILE_ELEMS: s.tileM * s.tileK, B_TILE_ELEMS: s.tileK * s.tileN };
  const tileConstants = { TILE_M: s.tileM, TILE_N: s.tileN, TILE_K: s.tileK, ...flags };
  if (variant === 'tiled') return { code: tiledWgsl, label, arraySizes: tiles, constants: tileConstants };
  const blockConstants = { ...tileConstants, BLOCK_M: s.blockM, BLOCK_N: s.blockN };
  if (variant === 'register-blocked-vec4') {
    const vec4Sizes = {
      A_TILE_VEC4S: (s.tileM * s.tileK) / 4,
      B_TILE_VEC4S: (s.tileK * s.tileN) / 4,
      ACC_VEC4S: (s.blockM * s.blockN) / 4,
    };
    return { code: registerBlockedVec4Wgsl, label, arraySizes: vec4Sizes, constants: blockConstants };
  }
  return {
    code: registerBlockedWgsl,
    label,
    arraySizes: { ...tiles, ACC_ELEMS: s.blockM * s.blockN, A_REG_ELEMS: s.blockM, B_REG_ELEMS: s.blockN },
    constants: blockConstants,
  };
}
