import type { KeyLimits } from '../../gpu/device';
import { LimitError } from '../../gpu/errors';
import { effectiveShape, isNaive, isVec4, transposedPad, type MatmulVariant, type TileShape } from './types';

const F32 = 4;

/** Workgroup memory one workgroup declares: an A tile and a B tile of float32 (none for naive). */
export function workgroupBytes(variant: MatmulVariant, shape: TileShape): number {
  if (isNaive(variant)) return 0;
  const s = effectiveShape(variant, shape);
  // The transposed A tile has PAD unused words at the end of each of its tileK rows.
  return ((s.tileM + transposedPad(variant, s)) * s.tileK + s.tileK * s.tileN) * F32;
}

/** Invocations per workgroup, as x (along N) by y (along M). */
export function workgroupSize(variant: MatmulVariant, shape: TileShape): { x: number; y: number; total: number } {
  const s = effectiveShape(variant, shape);
  const x = s.tileN / s.blockN;
  const y = s.tileM / s.blockM;
  return { x, y, total: x * y };
}

function fmtKiB(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/**
 * Why this variant and shape cannot run on a device with these limits, in numbers the user can act
 * on; null when it can. Checked before any WGSL is compiled, so a bad shape never reaches the driver.
 */
export function shapeProblem(
  variant: MatmulVariant,
  shape: TileShape,
  limits: Pick<
    KeyLimits,
    | 'maxComputeWorkgroupStorageSize'
    | 'maxComputeInvocationsPerWorkgroup'
    | 'maxComputeWorkgroupSizeX'
    | 'maxComputeWorkgroupSizeY'
  >,
): string | null {
  const s = effectiveShape(variant, shape);
  for (const [k, v] of Object.entries(s)) {
    if (!Number.isInteger(v) || v < 1) return `${k} must be a whole number of at least 1 (got ${v})`;
  }
  if (s.tileM % s.blockM || s.tileN % s.blockN) {
    return `tile ${s.tileM}×${s.tileN} is not a whole number of ${s.blockM}×${s.blockN} per-invocation blocks`;
  }
  // The vec4 kernel moves four consecutive k of A and four consecutive n of B and C at a time.
  if (isVec4(variant) && (s.blockN % 4 || s.tileK % 4)) {
    return `the vec4 kernel needs a per-invocation block width and a tile K that are multiples of 4 (got block ${s.blockM}×${s.blockN}, tile K ${s.tileK})`;
  }
  const bytes = workgroupBytes(variant, s);
  if (bytes > limits.maxComputeWorkgroupStorageSize) {
    return `tile ${s.tileM}×${s.tileK} of A plus ${s.tileK}×${s.tileN} of B needs ${bytes} bytes (${fmtKiB(bytes)}) of workgroup memory, this device has ${limits.maxComputeWorkgroupStorageSize} (${fmtKiB(limits.maxComputeWorkgroupStorageSize)})`;
  }
  const wg = workgroupSize(variant, s);
  if (wg.total > limits.maxComputeInvocationsPerWorkgroup) {
    return `a ${s.tileM}×${s.tileN} tile with ${s.blockM}×${s.blockN} outputs per invocation needs ${wg.total} invocations per workgroup, this device allows ${limits.maxComputeInvocationsPerWorkgroup}`;
  }
  if (wg.x > limits.maxComputeWorkgroupSizeX || wg.y > limits.maxComputeWorkgroupSizeY) {
    return `workgroup ${wg.x}×${wg.y} exceeds this device's ${limits.maxComputeWorkgroupSizeX}×${limits.maxComputeWorkgroupSizeY} per-dimension limit`;
  }
  return null;
}

/** Throws LimitError when the shape cannot run here. */
export function checkShape(variant: MatmulVariant, shape: TileShape, limits: Parameters<typeof shapeProblem>[2]): void {
  const problem = shapeProblem(variant, shape, limits);
  if (problem) throw new LimitError(`${variant} matmul: ${problem}.`);
}
