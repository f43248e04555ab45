import type { KeyLimits } from '../../gpu/device';
import { LimitError } from '../../gpu/errors';
import { FLASH_KEY_STEP, FLASH_ROWS, HEAD_DIMS, tileRows, type AttentionShape, type FlashTile } from './shape';

const F32 = 4;

/** GPU memory each path allocates: inputs and output for both, plus S and P (N² each) for standard. */
export function standardPeakBytes(s: AttentionShape): number {
  return 4 * s.bh * s.n * s.d * F32 + 2 * s.bh * s.n * s.n * F32;
}

/** Tiled needs only Q, K, V, O and one log-sum-exp per row: O(N·d). */
export function flashPeakBytes(s: AttentionShape): number {
  return 4 * s.bh * s.n * s.d * F32 + s.bh * s.n * F32;
}

/** Bytes of one N×N score buffer (S or P), the largest single binding of the standard path. */
export function scoreMatrixBytes(s: AttentionShape): number {
  return s.bh * s.n * s.n * F32;
}

/** Workgroup memory of the tiled kernel: the K and V blocks, Bc×d each (scores stay in registers). */
export function flashWorkgroupBytes(d: number, tile: Pick<FlashTile, 'bc'>): number {
  return 2 * tile.bc * d * F32;
}

/** Invocations per workgroup of the tiled kernel: Br / rows. */
export function flashInvocations(tile: FlashTile): number {
  return tile.br / tileRows(tile);
}

/** Why the standard path cannot run this shape on this device, or null when it can. */
export function standardRefusal(s: AttentionShape, limits: KeyLimits): string | null {
  const bytes = scoreMatrixBytes(s);
  const max = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  if (bytes > max) {
    return `Standard attention needs the ${s.n}×${s.n} score matrix for ${s.bh} head(s) in one buffer: ${bytesText(bytes)}, but this device binds at most ${bytesText(max)}. The tiled path never stores it.`;
  }
  return null;
}

export function checkHeadDim(d: number): void {
  if (!(HEAD_DIMS as readonly number[]).includes(d))
    throw new LimitError(`Head dimension d = ${d} is not supported; use one of ${HEAD_DIMS.join(', ')}.`);
}

/**
 * Checks a tile against the device before any shader is compiled, so the user gets numbers to act
 * on instead of a pipeline validation error.
 */
export function checkFlashTile(d: number, tile: FlashTile, limits: KeyLimits): void {
  checkHeadDim(d);
  const { br, bc } = tile;
  const rows = tileRows(tile);
  if (!Number.isInteger(br) || !Number.isInteger(bc) || br < 1 || bc < 1)
    throw new LimitError(`Tile Br = ${br}, Bc = ${bc}: both must be positive whole numbers.`);
  if (!(FLASH_ROWS as readonly number[]).includes(rows))
    throw new LimitError(`Rows per invocation must be ${FLASH_ROWS.join(' or ')}, got ${rows}.`);
  if (bc % FLASH_KEY_STEP !== 0)
    throw new LimitError(
      `Bc = ${bc} must be a multiple of ${FLASH_KEY_STEP}: the kernel scores ${FLASH_KEY_STEP} keys at a time (one vec4 per row).`,
    );
  if (br % rows !== 0) throw new LimitError(`Br = ${br} must be a multiple of the ${rows} rows each invocation owns.`);
  const maxInv = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  const inv = flashInvocations(tile);
  if (inv > maxInv)
    throw new LimitError(
      `Tile too big: Br = ${br} at ${rows} row(s) per invocation needs ${inv} invocations per workgroup, this device allows ${maxInv}.`,
    );
  const need = flashWorkgroupBytes(d, tile);
  const have = limits.maxComputeWorkgroupStorageSize;
  if (need > have) {
    throw new LimitError(
      `Tile too big: Bc = ${bc}, d = ${d} needs ${need} bytes of workgroup memory (K and V blocks, 2·Bc·d·4 bytes), this device has ${have} bytes.`,
    );
  }
}

function bytesText(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MiB`;
  return `${(b / 2 ** 10).toFixed(1)} KiB`;
}

/**
 * The largest power-of-two Br this device runs at head dimension d (Br / rows invocations, K and V
 * blocks within workgroup memory), with the widest Bc that fits beside it: the tile where the tiled
 * path's traffic advantage, ≈ 2·Br/d over S and P's round trips, is largest here.
 */
export function largestTile(
  d: number,
  limits: Pick<
    KeyLimits,
    'maxComputeInvocationsPerWorkgroup' | 'maxComputeWorkgroupSizeX' | 'maxComputeWorkgroupStorageSize'
  >,
  rows: FlashTile['rows'] = 2,
): FlashTile | null {
  const maxInv = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  for (let br = 1024; br >= 8; br /= 2) {
    if (flashInvocations({ br, bc: FLASH_KEY_STEP, rows }) > maxInv) continue;
    for (let bc = 64; bc >= FLASH_KEY_STEP; bc /= 2)
      if (flashWorkgroupBytes(d, { bc }) <= limits.maxComputeWorkgroupStorageSize) return { br, bc, rows };
    return null;
  }
  return null;
}
