import naiveWgsl from '../../../shaders/matmul/naive.wgsl?raw';
import registerBlockedWgsl from '../../../shaders/matmul/register_blocked.wgsl?raw';
import registerBlockedVec4Wgsl from '../../../shaders/matmul/register_blocked_vec4.wgsl?raw';
import tiledWgsl from '../../../shaders/matmul/tiled.wgsl?raw';
import type { OverrideConstants } from '../../gpu/pipelines';
import { effectiveShape, type MatmulVariant, type TileShape } from './types';

export interface MatmulSource {
  code: string;
  constants: OverrideConstants;
}

/**
 * The WGSL text and override constants for one variant and tile shape. Tile sizes, transpose and
 * instrumentation are override constants; only array sizes cannot be (workgroup and register
 * arrays need a size fixed at module creation), so the `const X_ELEMS: u32 = …u;` lines are
 * rewritten here and nothing else in the text changes.
 */
export function matmulSource(variant: MatmulVariant, shape: TileShape, opts: { transposeB?: boolean; instrumented?: boolean } = {}): MatmulSource {
  const s = effectiveShape(variant, shape);
  const flags = { TRANSPOSE_B: Boolean(opts.transposeB), INSTRUMENTED: Boolean(opts.instrumented) };
  if (variant === 'naive') return { code: naiveWgsl, constants: { WG_X: s.tileN, WG_Y: s.tileM, ...flags } };
  const tiles = { A_TILE_ELEMS: s.tileM * s.tileK, B_TILE_ELEMS: s.tileK * s.tileN };
  const tileConstants = { TILE_M: s.tileM, TILE_N: s.tileN, TILE_K: s.tileK, ...flags };
  if (variant === 'tiled') return { code: setArraySizes(tiledWgsl, tiles), constants: tileConstants };
  const blockConstants = { ...tileConstants, BLOCK_M: s.blockM, BLOCK_N: s.blockN };
  if (variant === 'register-blocked-vec4') {
    const vec4Sizes = {
      A_TILE_VEC4S: (s.tileM * s.tileK) / 4,
      B_TILE_VEC4S: (s.tileK * s.tileN) / 4,
      ACC_VEC4S: (s.blockM * s.blockN) / 4,
    };
    return { code: setArraySizes(registerBlockedVec4Wgsl, vec4Sizes), constants: blockConstants };
  }
  return {
    code: setArraySizes(registerBlockedWgsl, { ...tiles, ACC_ELEMS: s.blockM * s.blockN, A_REG_ELEMS: s.blockM, B_REG_ELEMS: s.blockN }),
    constants: blockConstants,
  };
}

function setArraySizes(code: string, sizes: Record<string, number>): string {
  let out = code;
  for (const [name, value] of Object.entries(sizes)) {
    const line = new RegExp(`^const ${name}: u32 = \\d+u;`, 'm');
    if (!line.test(out)) throw new Error(`matmul shader has no line "const ${name}: u32 = …u;" to size`);
    out = out.replace(line, `const ${name}: u32 = ${value}u;`);
  }
  return out;
}
