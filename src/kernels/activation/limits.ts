import { LimitError } from '../../gpu/errors';

/**
 * Shapes and limits of the activation kernels: pure (no GPU, no WGSL), so the lab's eager meta can
 * clamp URL values without pulling in the kernels.
 */
export function maxActivationElements(limits: { maxStorageBufferBindingSize: number; maxBufferSize: number }): number {
  // Buffers are padded to whole vec4s (16 bytes) for the vectorized kernel.
  const bytes = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  return Math.floor(bytes / 16) * 4;
}

export interface ActivationShape {
  /** Elements of the activation tensor: rows * H (the last row may be partial). */
  n: number;
  /** Hidden size: bias length, broadcast over rows. */
  h: number;
}

const MIN_HIDDEN = 4;

/** Bytes of GPU memory a run allocates: x, residual and out (padded to whole vec4s) plus bias. */
export function activationFootprint({ n, h }: ActivationShape): number {
  return 3 * padded(n) + 4 * h;
}

export function padded(n: number): number {
  return Math.ceil(n / 4) * 16;
}

export function fmtMiB(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Rejects shapes the kernels or the device cannot run, in numbers the user can act on. */
export function checkShape(
  { n, h }: ActivationShape,
  limits: { maxStorageBufferBindingSize: number; maxBufferSize: number },
): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Elements must be a positive whole number, got ${n}.`);
  if (!Number.isInteger(h) || h < MIN_HIDDEN)
    throw new RangeError(`Hidden size must be a whole number ≥ ${MIN_HIDDEN}, got ${h}.`);
  const max = maxActivationElements(limits);
  if (n > max) {
    throw new LimitError(
      `Too many elements: ${n.toLocaleString('en-US')} floats need a ${fmtMiB(padded(n))} buffer, but this device binds at most ${fmtMiB(Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize))} (${max.toLocaleString('en-US')} floats).`,
    );
  }
  if (4 * h > Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize))
    throw new LimitError(`Hidden size ${h} does not fit one storage binding.`);
}
