import f16ArithWgsl from '../../../shaders/quant/f16_arith.wgsl?raw';
import f16Wgsl from '../../../shaders/quant/f16.wgsl?raw';
import f32SubgroupWgsl from '../../../shaders/quant/f32_subgroup.wgsl?raw';
import f32Wgsl from '../../../shaders/quant/f32.wgsl?raw';
import int4Wgsl from '../../../shaders/quant/int4.wgsl?raw';
import int4ZpWgsl from '../../../shaders/quant/int4_zp.wgsl?raw';
import int8Wgsl from '../../../shaders/quant/int8.wgsl?raw';
import reduceWgsl from '../../../shaders/quant/reduce.wgsl?raw';
import type { OverrideConstants, PipelineRequest } from '../../gpu/pipelines';
import { specialise } from '../specialise';
import { featureBuild, type GemvBuild } from './features';
import type { GemvShape, QuantVariant } from './types';

const SOURCES: Record<QuantVariant, string> = {
  f32: f32Wgsl,
  f16: f16Wgsl,
  int8: int8Wgsl,
  int4: int4Wgsl,
  'int4-zp': int4ZpWgsl,
};
/** Builds that need an optional feature (./features.ts); same bindings and sizes as their weights' kernel. */
const FEATURE_SOURCES: Record<Exclude<GemvBuild, 'standard'>, string> = {
  subgroup: f32SubgroupWgsl,
  'f16-arith': f16ArithWgsl,
};

/**
 * The pipeline request for one variant and split (through the shared specialise()): workgroup
 * size and group size are override constants; register and workgroup array sizes cannot be, so
 * they are array sizes (ROWS, M_TILE, ROWS·M_TILE, WG·ROWS·M_TILE; int4 also ROWS·WG).
 */
export function gemvSource(
  variant: QuantVariant,
  shape: GemvShape,
  group: number | null,
  instrumented: boolean,
  build: GemvBuild = 'standard',
): PipelineRequest {
  if (build !== 'standard' && featureBuild(build).weights !== variant)
    throw new RangeError(`the ${build} build runs on ${featureBuild(build).weights} weights, not ${variant}.`);
  const constants: OverrideConstants = { WG: shape.wg };
  if (variant === 'int4' || variant === 'int4-zp') constants.GROUP = group ?? 32;
  return specialise(
    {
      code: build === 'standard' ? SOURCES[variant] : FEATURE_SOURCES[build],
      // The tree reduction and store every kernel but the subgroup build ends with.
      libraries: build === 'subgroup' ? [] : [reduceWgsl],
      label: build === 'standard' ? `quant/${variant}` : `quant/${variant}-${build}`,
      constants,
      arraySizes: {
        ROWS: shape.rows,
        M_TILE: shape.mTile,
        ACC: shape.rows * shape.mTile,
        PARTIALS: shape.wg * shape.rows * shape.mTile,
        // int4: staged group scales, ROWS × (groups one step of WG units covers, at most WG).
        ...(variant === 'int4' || variant === 'int4-zp' ? { STAGED: shape.rows * shape.wg } : {}),
      },
    },
    { instrumented },
  );
}
