/**
 * Size limit of the activation kernels, kept apart from host.ts so the lab's eager meta can clamp
 * URL values without pulling in WGSL and the GPU code.
 */
export function maxActivationElements(limits: { maxStorageBufferBindingSize: number; maxBufferSize: number }): number {
  // Buffers are padded to whole vec4s (16 bytes) for the vectorized kernel.
  const bytes = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  return Math.floor(bytes / 16) * 4;
}
