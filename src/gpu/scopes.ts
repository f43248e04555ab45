import { GpuScopeError } from './errors';

/**
 * Runs `fn` inside validation, out-of-memory and internal error scopes, so an error raised by the
 * work reaches the caller as a thrown GpuScopeError instead of an uncaptured-error event.
 */
export async function withErrorScopes<T>(device: GPUDevice, during: string, fn: () => T | Promise<T>): Promise<T> {
  device.pushErrorScope('internal');
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let result: T | undefined;
  let thrown: unknown;
  try {
    result = await fn();
  } catch (e) {
    thrown = e;
  }
  // Pop all three even when fn threw: unbalanced scopes leak into every later call.
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  const internal = await device.popErrorScope();
  if (oom) throw new GpuScopeError('out-of-memory', oom.message, during);
  if (validation) throw new GpuScopeError('validation', validation.message, during);
  if (internal) throw new GpuScopeError('internal', internal.message, during);
  if (thrown !== undefined) throw thrown;
  return result as T;
}
