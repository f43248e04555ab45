import type { KeyLimits } from '../gpu/device';
import { LimitError } from '../gpu/errors';

/**
 * Shared checks of the training kernels' limits (pure: no GPU, no WGSL). Each throws before any
 * WGSL is compiled: RangeError for a value no device could run (0, fractions, NaN), LimitError
 * for one past this device's numbers, said in those numbers.
 */
export type TrainLimits = Pick<
  KeyLimits,
  | 'maxStorageBufferBindingSize'
  | 'maxBufferSize'
  | 'maxComputeWorkgroupStorageSize'
  | 'maxComputeWorkgroupsPerDimension'
  | 'maxComputeInvocationsPerWorkgroup'
>;

export function checkWhole(kernel: string, name: string, v: number, min = 1): void {
  if (!Number.isInteger(v) || v < min)
    throw new RangeError(`${kernel}: ${name} must be a whole number of at least ${min} (got ${v}).`);
}

/** One tensor of `floats` float32 must fit one storage binding. */
export function checkBinding(kernel: string, name: string, floats: number, limits: TrainLimits): void {
  const bytes = floats * 4;
  const max = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  if (bytes > max)
    throw new LimitError(
      `${kernel}: ${name} needs ${bytes} bytes in one storage binding; this device binds at most ${max}.`,
    );
}

/** Workgroup memory one workgroup declares. */
export function checkWorkgroupBytes(kernel: string, bytes: number, what: string, limits: TrainLimits): void {
  if (bytes > limits.maxComputeWorkgroupStorageSize)
    throw new LimitError(
      `${kernel}: ${what} needs ${bytes} bytes of workgroup memory; this device has ${limits.maxComputeWorkgroupStorageSize}.`,
    );
}

/** A 2-D grid of x × y workgroups. */
export function checkGrid(kernel: string, x: number, y: number, limits: TrainLimits): void {
  const max = limits.maxComputeWorkgroupsPerDimension;
  if (x > max || y > max)
    throw new LimitError(`${kernel}: ${x} × ${y} workgroups exceed this device's ${max} per dimension.`);
}
