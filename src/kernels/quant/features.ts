import { halfRound } from './half';
import type { QuantVariant } from './types';

/**
 * GEMV builds that need an optional WebGPU feature. Each has a standard twin it is compared with
 * (same weights, same loads, same global bytes: gemvCost of `weights` holds for both):
 * - 'subgroup' (shaders/quant/f32_subgroup.wgsl): f32 weights, the K reduction by subgroupAdd
 *   instead of a tree in workgroup memory; correct for any subgroup size.
 * - 'f16-arith' (shaders/quant/f16_arith.wgsl): f16 weights multiplied in f16 (x rounded to f16),
 *   summed in f32, against the f16 kernel that widens to f32 first.
 * A device gets these features only if the adapter has them (src/gpu/device.ts asks for them when
 * present), so the lab offers a build only where `info.features` lists its feature, and otherwise
 * says why not, in the words below, so no variant disappears silently.
 */
export type GemvBuild = 'standard' | 'subgroup' | 'f16-arith';
export type OptionalFeature = 'subgroups' | 'shader-f16';

export interface FeatureBuild {
  build: Exclude<GemvBuild, 'standard'>;
  feature: OptionalFeature;
  /** The weight format it runs on, and whose standard kernel it is compared with. */
  weights: QuantVariant;
  label: string;
  short: string;
  /** Shown (lab) and printed (bench) where the adapter lacks the feature. */
  notOffered: string;
  /** Kernel exactness tolerance against its reference (featureReferenceInput), same metric as the lab's. */
  tolerance: number;
}

/**
 * f16-arith: each four-term dot is computed in f16, so each product and partial sum is rounded to
 * 11 significant bits (relative 2⁻¹¹ ≈ 4.9e-4 each, independent between terms); summed over K in
 * f32 they grow like √K·2⁻¹¹·|term| against a max |y| of the same √K·|term| order, so ~1e-3 at
 * worst. 5e-3 leaves room and still catches a wrong weight or a swapped half (1e-2 and more).
 */
export const F16_ARITH_TOLERANCE = 5e-3;
/** subgroup: f32 throughout, only the summation order differs (as the lab's KERNEL_TOLERANCE). */
export const SUBGROUP_TOLERANCE = 1e-4;

export const FEATURE_BUILDS: readonly FeatureBuild[] = [
  {
    build: 'subgroup',
    feature: 'subgroups',
    weights: 'f32',
    label: 'f32, subgroup reduction (subgroupAdd)',
    short: 'f32 subgroup',
    notOffered: 'this adapter reports no subgroups, so the subgroup-reduction variant is not offered',
    tolerance: SUBGROUP_TOLERANCE,
  },
  {
    build: 'f16-arith',
    feature: 'shader-f16',
    weights: 'f16',
    label: 'f16, f16 arithmetic (shader-f16)',
    short: 'f16 math',
    notOffered: 'this adapter has no shader-f16 (SwiftShader does not), so the f16 variant is not offered',
    tolerance: F16_ARITH_TOLERANCE,
  },
];

export function featureBuild(build: Exclude<GemvBuild, 'standard'>): FeatureBuild {
  const b = FEATURE_BUILDS.find((f) => f.build === build);
  if (!b) throw new RangeError(`unknown GEMV build "${build}"`);
  return b;
}

export type FeatureOffer =
  { build: FeatureBuild; offered: true } | { build: FeatureBuild; offered: false; reason: string };

/** Which feature builds this adapter can run, and for the others the reason they are not offered. */
export function featureOffers(features: readonly string[]): FeatureOffer[] {
  return FEATURE_BUILDS.map((build) =>
    features.includes(build.feature) ? { build, offered: true } : { build, offered: false, reason: build.notOffered },
  );
}

/** The activations the build's reference must use: f16-arith rounds x to f16 in the kernel. */
export function featureReferenceInput(build: GemvBuild, x: Float32Array): Float32Array {
  return build === 'f16-arith' ? Float32Array.from(x, halfRound) : x;
}
