import copyWgsl from '../../../shaders/ceilings/copy.wgsl?raw';
import fmaWgsl from '../../../shaders/ceilings/fma.wgsl?raw';
import type { KernelSource } from '../specialise';

export const WORKGROUP_SIZE = 256;

/** The copy and FMA-chain kernels for specialise(); sizes and the chain length are override constants. */
export function copySource(): KernelSource {
  return { code: copyWgsl, label: 'ceilings/copy', constants: { WORKGROUP_SIZE } };
}

export function fmaSource(iterations: number): KernelSource {
  return { code: fmaWgsl, label: 'ceilings/fma', constants: { WORKGROUP_SIZE, ITERATIONS: iterations } };
}
