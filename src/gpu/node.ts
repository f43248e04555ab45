/**
 * Dawn for Node: puts a real WebGPU implementation on `navigator.gpu` so the same runtime code
 * runs in tests and the bench. Only Node entry points import this file.
 */
import { create, globals } from 'webgpu';

let installed: GPU | undefined;

export function installDawn(): GPU {
  if (installed) return installed;
  Object.assign(globalThis, globals);
  // The object from create() must stay referenced for the whole process: collecting it crashed Dawn.
  installed = create([]) as unknown as GPU;
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, writable: true, configurable: true });
  Object.defineProperty(g.navigator, 'gpu', { value: installed, writable: true, configurable: true });
  return installed;
}
