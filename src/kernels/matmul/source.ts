import naiveWgsl from '../../../shaders/matmul/naive.wgsl?raw';
import registerBlockedWgsl from '../../../shaders/matmul/register_blocked.wgsl?raw';
import registerBlockedVec4Wgsl from '../../../shaders/matmul/register_blocked_vec4.wgsl?raw';
import splitKSubgroupWgsl from '../../../shaders/matmul/splitk_subgroup.wgsl?raw';
import tiledWgsl from '../../../shaders/matmul/tiled.wgsl?raw';
import naiveColmajorWgsl from '../../../shaders/matmul/naive_colmajor.wgsl?raw';
import transposedWgsl from '../../../shaders/matmul/register_blocked_at.wgsl?raw';
import traceOffWgsl from '../../../shaders/matmul/trace_off.wgsl?raw';
import traceOnWgsl from '../../../shaders/matmul/trace_on.wgsl?raw';
import type { KernelSource } from '../specialise';
import { matmulFeatureBuild, type MatmulBuild } from './features';
import type { TracePoint } from './traceModel';
import { TRACE_SLOTS, traceWorkgroupId } from './traceModel';
import { effectiveShape, transposedPad, type MatmulVariant, type TileShape } from './types';

/**
 * The WGSL text, override constants and array sizes for one variant and tile shape, for
 * specialise() (src/kernels/specialise.ts). Tile sizes and transpose are override constants; only
 * array sizes cannot be (workgroup and register arrays need a size fixed at module creation).
 */
export function matmulSource(
  variant: MatmulVariant,
  shape: TileShape,
  opts: {
    transposeB?: boolean;
    transposeA?: boolean;
    accumulate?: boolean;
    trace?: TracePoint;
    /** A feature build (./features.ts) instead of the standard kernel. */
    build?: MatmulBuild;
  } = {},
): KernelSource {
  if (opts.build === 'subgroup') return splitKSource(variant, shape, opts);
  const src = kernelSource(variant, shape, opts);
  if (opts.build && opts.build !== 'standard') {
    const fb = matmulFeatureBuild(opts.build);
    if (variant !== fb.variant) throw new RangeError(`matmul: the ${fb.build} build exists only for ${fb.variant}.`);
    if (opts.trace) throw new RangeError(`matmul: the ${fb.build} build has no trace variant.`);
    // Same overrides and array sizes as the kernel it is a build of; its element type and size differ.
    return {
      ...src,
      code: `${vec4F16(src.code)}\n${traceOffWgsl}`,
      label: `${src.label}+${fb.build}`,
      arraySizes: { ...src.arraySizes, AB_BYTES: 2 },
    };
  }
  // Trace hooks (shaders/matmul/trace_on.wgsl) are appended only to a trace build; every other
  // build gets the empty hooks, so its code and bindings are those of the plain kernel.
  if (!opts.trace) return { ...src, code: `${src.code}\n${traceOffWgsl}` };
  const wg = traceWorkgroupId(variant, opts.trace);
  return {
    ...src,
    code: `${src.code}\n${traceOnWgsl}`,
    label: `${src.label}+trace`,
    constants: { ...src.constants, TRACE_WG_X: wg.x, TRACE_WG_Y: wg.y, TRACE_STEP: opts.trace.step, TRACE_SLOTS },
  };
}

/** The split-K subgroup build (./splitk.ts reads its shape): its own text, sizes and overrides. */
function splitKSource(
  variant: MatmulVariant,
  shape: TileShape,
  opts: { transposeB?: boolean; transposeA?: boolean; accumulate?: boolean; trace?: TracePoint },
): KernelSource {
  const fb = matmulFeatureBuild('subgroup');
  if (variant !== fb.variant) throw new RangeError(`matmul: the subgroup build exists only for ${fb.variant}.`);
  if (opts.trace) throw new RangeError('matmul: the subgroup build has no trace variant.');
  if (opts.transposeA || opts.accumulate)
    throw new RangeError('matmul: the split-K subgroup build has no transposed A or accumulation.');
  const outputs = shape.tileM * shape.tileN;
  return {
    // Empty trace hooks for the same reason as every non-trace build: one set of bindings.
    code: `${splitKSubgroupWgsl}\n${traceOffWgsl}`,
    label: 'matmul/splitk-subgroup',
    arraySizes: { B_REGS: shape.tileN, ACC: outputs, PARTIALS: outputs * shape.tileK },
    constants: { TILE_M: shape.tileM, TILE_N: shape.tileN, WG: shape.tileK, TRANSPOSE_B: Boolean(opts.transposeB) },
  };
}

function kernelSource(
  variant: MatmulVariant,
  shape: TileShape,
  opts: { transposeB?: boolean; transposeA?: boolean; accumulate?: boolean },
): KernelSource {
  const s = effectiveShape(variant, shape);
  const label = `matmul/${variant}`;
  if ((opts.transposeA || opts.accumulate) && variant !== 'register-blocked')
    throw new RangeError(
      `matmul ${variant}: a transposed A and accumulation exist only in the register-blocked kernel.`,
    );
  const flags = { TRANSPOSE_B: Boolean(opts.transposeB) };
  if (variant === 'naive') return { code: naiveWgsl, label, constants: { WG_X: s.tileN, WG_Y: s.tileM, ...flags } };
  // Column-major walk: x runs along M, so the 16×16 workgroup's x is its M side.
  if (variant === 'naive-colmajor')
    return { code: naiveColmajorWgsl, label, constants: { WG_X: s.tileM, WG_Y: s.tileN, ...flags } };
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
  if (variant === 'transposed-a' || variant === 'transposed-a-padded') {
    const pad = transposedPad(variant, s);
    return {
      code: transposedWgsl,
      label,
      arraySizes: {
        ...tiles,
        A_TILE_ELEMS: s.tileK * (s.tileM + pad),
        ACC_ELEMS: s.blockM * s.blockN,
        A_REG_ELEMS: s.blockM,
        B_REG_ELEMS: s.blockN,
      },
      constants: { ...blockConstants, PAD: pad },
    };
  }
  // Only the register-blocked kernel has the training overrides; set only when asked for, so the
  // other builds' pipeline keys stay what they were.
  const training = {
    ...(opts.transposeA ? { TRANSPOSE_A: true } : {}),
    ...(opts.accumulate ? { ACCUMULATE: true } : {}),
  };
  return {
    code: registerBlockedWgsl,
    label: `${label}${opts.transposeA ? '+ta' : ''}${opts.accumulate ? '+acc' : ''}`,
    arraySizes: { ...tiles, ACC_ELEMS: s.blockM * s.blockN, A_REG_ELEMS: s.blockM, B_REG_ELEMS: s.blockN },
    constants: { ...blockConstants, ...training },
  };
}

/**
 * The f16 build of register_blocked_vec4.wgsl: the same kernel with A and B retyped to f16 (its
 * `alias AB` line) and f16 enabled. The directive goes on the first line, ahead of the comment
 * there, so the compiler's line numbers still match the file.
 */
function vec4F16(code: string): string {
  const alias = /^alias AB = f32;$/m;
  if (!alias.test(code))
    throw new Error('matmul/register-blocked-vec4: the shader has no "alias AB = f32;" line to retype');
  return `enable f16; ${code.replace(alias, 'alias AB = f16;')}`;
}
