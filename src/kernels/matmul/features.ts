import { halfRound, toHalfBits } from '../quant/half';
import type { MatmulVariant, TileShape } from './types';

/**
 * Matmul builds that need an optional WebGPU feature, each a twin of the register-blocked vec4
 * kernel (same tiles, same blocking, same ragged-edge handling):
 * - 'f16' (shaders/matmul/register_blocked_vec4.wgsl with `alias AB = f16`, built by source.ts): A and B stored as f16 (half the bytes),
 *   products and four-term sums in f16, accumulated in f32; C is f32.
 * - 'subgroup' (shaders/matmul/splitk_subgroup.wgsl): split-K, a workgroup of tileK invocations per
 *   tileM × tileN block of C (each invocation holds the whole block, so blockM = tileM and
 *   blockN = tileN), each summing every tileK-th term; the partials are reduced with subgroupAdd and
 *   then across subgroups through workgroup memory, correct for any subgroup width (./splitk.ts
 *   checks its shapes). It reads what a tileM × tileN output tile reads, so the register-blocked
 *   kernel's cost formula holds for it exactly: that is the kernel it is a build of.
 * A device gets shader-f16 and subgroups only where its adapter has them (src/gpu/device.ts), so a
 * build is offered only where `info.features` lists its feature; elsewhere `notOffered` says why, so
 * no variant disappears silently. MATMUL_FEATURE_BUILDS is the list a lab or the self-test enumerates.
 */
export type MatmulBuild = 'standard' | 'f16' | 'subgroup';
export type MatmulFeature = 'shader-f16' | 'subgroups';

export interface MatmulFeatureBuild {
  build: Exclude<MatmulBuild, 'standard'>;
  feature: MatmulFeature;
  /** The kernel it is a build of. */
  variant: MatmulVariant;
  label: string;
  /** Shown (lab) and printed (bench, tests) where the adapter lacks the feature. */
  notOffered: string;
  /** Bytes of one A or B element in global and workgroup memory. */
  operandBytes: number;
  /** Tolerance against the float64 reference of the build's own (rounded) inputs, max |error| / max |C|. */
  tolerance: number;
  /** The tile shape it runs by default (the bench, the self-test). */
  shape: TileShape;
}

/**
 * f16: each product and four-term sum is rounded to 11 significant bits (relative 2⁻¹¹ ≈ 4.9e-4,
 * independent between chunks); the f32 sum over K/4 chunks grows like √(K/4) of that against a max
 * |C| of order √K·|term|, so ~1e-3 at worst for inputs of one scale. 5e-3 leaves room and still
 * catches a dropped chunk, a wrong tile or a swapped half (errors of 1e-2 and more).
 */
export const MATMUL_F16_TOLERANCE = 5e-3;
/** subgroup: f32 throughout, only the summation order differs (1e-4, as the subgroup GEMV's SUBGROUP_TOLERANCE). */
export const MATMUL_SUBGROUP_TOLERANCE = 1e-4;

export const MATMUL_FEATURE_BUILDS: readonly MatmulFeatureBuild[] = [
  {
    build: 'f16',
    feature: 'shader-f16',
    variant: 'register-blocked-vec4',
    label: 'register-blocked vec4, f16 storage and arithmetic, f32 accumulation (shader-f16)',
    notOffered: 'this adapter has no shader-f16 (SwiftShader does not), so the f16 matmul is not offered',
    operandBytes: 2,
    tolerance: MATMUL_F16_TOLERANCE,
    shape: { tileM: 64, tileN: 64, tileK: 32, blockM: 8, blockN: 4 },
  },
  {
    build: 'subgroup',
    feature: 'subgroups',
    variant: 'register-blocked',
    label: 'split-K, subgroup reduction (subgroupAdd), for few outputs and a long K',
    notOffered: 'this adapter reports no subgroups, so the split-K subgroup matmul is not offered',
    operandBytes: 4,
    tolerance: MATMUL_SUBGROUP_TOLERANCE,
    // 8 outputs per workgroup of 64 invocations: 2 KiB of partials, fits every WebGPU device.
    shape: { tileM: 2, tileN: 4, tileK: 64, blockM: 2, blockN: 4 },
  },
];

export function matmulFeatureBuild(build: Exclude<MatmulBuild, 'standard'>): MatmulFeatureBuild {
  const b = MATMUL_FEATURE_BUILDS.find((f) => f.build === build);
  if (!b) throw new RangeError(`unknown matmul build "${build}"`);
  return b;
}

export type MatmulFeatureOffer =
  { build: MatmulFeatureBuild; offered: true } | { build: MatmulFeatureBuild; offered: false; reason: string };

/** Which feature builds this adapter can run, and for the others the reason they are not offered. */
export function matmulFeatureOffers(features: readonly string[]): MatmulFeatureOffer[] {
  return MATMUL_FEATURE_BUILDS.map((build) =>
    features.includes(build.feature) ? { build, offered: true } : { build, offered: false, reason: build.notOffered },
  );
}

/** The operand the f16 build really multiplies: each value rounded to the nearest f16 (the reference's input). */
export function f16Operand(x: Float32Array): Float32Array {
  return Float32Array.from(x, halfRound);
}

/** f16 bits of `x`, two per u32 (low half first), zero-padded to whole vec4<f16>s (8 bytes). */
export function packF16(x: Float32Array): Uint32Array {
  const words = new Uint32Array(Math.ceil(x.length / 4) * 2);
  for (let i = 0; i < x.length; i++) words[i >> 1] |= toHalfBits(x[i]) << ((i & 1) * 16);
  return words;
}
