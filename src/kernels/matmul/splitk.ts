import type { KeyLimits } from '../../gpu/device';
import type { TileShape } from './types';

const F32 = 4;

/**
 * Most outputs one split-K workgroup may own: each of its invocations keeps one f32 partial per
 * output in registers (and the workgroup one slot per invocation per output), so a larger block
 * would spill and need more workgroup memory than it saves in reads.
 */
export const SPLITK_MAX_OUTPUTS = 32;

/** Workgroup memory of the split-K subgroup kernel: one f32 slot per invocation per output, and the slot counter. */
export function splitKWorkgroupBytes(shape: TileShape): number {
  return shape.tileM * shape.tileN * shape.tileK * F32 + 4;
}

/**
 * Why the split-K subgroup kernel (shaders/matmul/splitk_subgroup.wgsl) cannot run this shape on a
 * device with these limits, in numbers the user can act on; null when it can. Its shape reads:
 * tileM × tileN outputs per workgroup, tileK invocations splitting K, and each invocation holds the
 * whole block (blockM = tileM, blockN = tileN). Checked before any WGSL is compiled.
 */
export function splitKShapeProblem(
  shape: TileShape,
  limits: Pick<
    KeyLimits,
    'maxComputeWorkgroupStorageSize' | 'maxComputeInvocationsPerWorkgroup' | 'maxComputeWorkgroupSizeX'
  >,
): string | null {
  for (const [k, v] of Object.entries(shape)) {
    if (!Number.isInteger(v) || v < 1) return `${k} must be a whole number of at least 1 (got ${v})`;
  }
  const { tileM, tileN, tileK: wg } = shape;
  if (shape.blockM !== tileM || shape.blockN !== tileN)
    return `each invocation holds the whole ${tileM}×${tileN} block, so the block must equal the tile (got ${shape.blockM}×${shape.blockN})`;
  const outputs = tileM * tileN;
  if (outputs > SPLITK_MAX_OUTPUTS)
    return `a ${tileM}×${tileN} block is ${outputs} partial sums per invocation, more than the ${SPLITK_MAX_OUTPUTS} this kernel keeps in registers`;
  // The last step has one invocation per output add up the subgroups' slots.
  if (wg < outputs)
    return `${wg} invocations cannot each finish one of the block's ${outputs} outputs; use at least ${outputs}`;
  if (wg > limits.maxComputeInvocationsPerWorkgroup || wg > limits.maxComputeWorkgroupSizeX)
    return `${wg} invocations per workgroup exceed this device's ${Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX)}`;
  const bytes = splitKWorkgroupBytes(shape);
  if (bytes > limits.maxComputeWorkgroupStorageSize)
    return `${outputs} outputs × ${wg} invocations of partial sums need ${bytes} bytes of workgroup memory, this device has ${limits.maxComputeWorkgroupStorageSize}`;
  return null;
}
