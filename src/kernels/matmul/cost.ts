import type { KernelCost } from '../types';
import { effectiveShape, isNaive, type MatmulDims, type MatmulVariant, type TileShape } from './types';

const F32 = 4;

/**
 * FLOPs and global bytes of one matmul, exactly as the instrumented kernels count them.
 * - naive: each of the M·N invocations reads K elements of A and K of B and writes one of C.
 * - tiled / register-blocked: for every K step, each workgroup loads the in-bounds part of its A tile
 *   and B tile once (out-of-range elements are zero-filled without a global read). Summed over the
 *   ⌈M/tileM⌉·⌈N/tileN⌉ workgroups, the edge tiles' partial rows add up to exactly M rows, so A is
 *   read ⌈N/tileN⌉ times and B ⌈M/tileM⌉ times, ragged or not. Each output is written once.
 * - register-blocked vec4: the same formula. Where K (for A) or N (for B, C) is a multiple of 4, each
 *   vec4 at a multiple-of-4 offset is wholly in or wholly out of range, so whole-vec4 loads of 16
 *   bytes count the same in-bounds elements; elsewhere the kernel reads element by element.
 * - the f16 build of the vec4 kernel (./features.ts): the same element counts, 2 bytes each for A
 *   and B (`operandBytes`); C stays f32.
 * FLOPs are 2·M·N·K (one multiply and one add per term) for every variant; zero-padded terms at
 * ragged edges are executed but not counted, as they are not part of the product.
 */
export function matmulCost(variant: MatmulVariant, dims: MatmulDims, shape: TileShape, operandBytes = F32): KernelCost {
  const { M, N, K } = dims;
  const flops = 2 * M * N * K;
  const bytesWritten = M * N * F32;
  if (isNaive(variant)) return { flops, bytesRead: 2 * M * N * K * F32, bytesWritten };
  const s = effectiveShape(variant, shape);
  const aReads = M * K * Math.ceil(N / s.tileN);
  const bReads = K * N * Math.ceil(M / s.tileM);
  // Accumulating (C += A·B) reads each output once before writing it; transposing A moves the
  // same in-bounds elements.
  const cReads = dims.accumulate ? M * N : 0;
  return { flops, bytesRead: (aReads + bReads) * operandBytes + cReads * F32, bytesWritten };
}

/** How many times fewer global bytes a variant reads than the naive kernel: its data reuse. */
export function reuseFactor(variant: MatmulVariant, dims: MatmulDims, shape: TileShape): number {
  return matmulCost('naive', dims, shape).bytesRead / matmulCost(variant, dims, shape).bytesRead;
}

/** The minimum possible traffic: A and B read once, C written once. */
export function compulsoryBytes(dims: MatmulDims): number {
  return (dims.M * dims.K + dims.K * dims.N + dims.M * dims.N) * F32;
}

/**
 * Global bytes read by one workgroup (output tile row `tm`, column `tn`) up to and including K step
 * `step`, and the in-bounds extent of each tile: the numbers the K-loop animation counts up.
 */
export function tileStepTraffic(
  dims: MatmulDims,
  shape: TileShape,
  tm: number,
  tn: number,
  step: number,
): { rows: number; cols: number; depth: number; bytesRead: number; naiveBytes: number } {
  const rows = Math.max(0, Math.min(shape.tileM, dims.M - tm * shape.tileM));
  const cols = Math.max(0, Math.min(shape.tileN, dims.N - tn * shape.tileN));
  const depth = Math.max(0, Math.min(dims.K, (step + 1) * shape.tileK));
  return {
    rows,
    cols,
    depth,
    bytesRead: (rows * depth + depth * cols) * F32,
    naiveBytes: 2 * rows * cols * depth * F32,
  };
}
