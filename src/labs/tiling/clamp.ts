import type { GpuInfo } from '../../gpu/device';
import { shapeProblem, workgroupBytes, workgroupSize } from '../../kernels/matmul/workgroup';
import type { ParamNotice } from '../../labkit/schema';
import { tilingArgs, type TilingValues } from './params';

/** A CPU emulating a GPU takes minutes at 4096³ (137 GFLOP per naive run); cap it, say why. */
export const SOFTWARE_MAX_SIZE = 1024;

function gcd(a: number, b: number): number {
  return b ? gcd(b, a % b) : a;
}

function largestDivisor(n: number, atMost: number): number {
  for (let b = Math.min(atMost, n); b > 1; b--) if (n % b === 0) return b;
  return 1;
}

/**
 * Brings sizes and tile shapes within what this device can run, each change explained at its
 * control in the device's own numbers (bytes of workgroup memory, invocations per workgroup).
 */
export function clampTilingToDevice<V extends TilingValues>(
  values: V,
  info: GpuInfo,
): { values: V; notices: ParamNotice[] } {
  const v = { ...values };
  const notices: ParamNotice[] = [];
  const limits = info.limits;

  if (info.software) {
    for (const key of ['M', 'N', 'K'] as const) {
      if (v[key] > SOFTWARE_MAX_SIZE) {
        notices.push({
          key,
          message: `${key}: this adapter is a CPU running a software GPU, where ${v[key]} would take minutes; using ${SOFTWARE_MAX_SIZE}.`,
        });
        v[key] = SOFTWARE_MAX_SIZE;
      }
    }
  }
  const maxFloats = Math.floor(Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize) / 4);
  for (const [key, other] of [
    ['M', 'K'],
    ['K', 'N'],
    ['N', 'M'],
  ] as const) {
    const cap = Math.floor(maxFloats / v[other]);
    if (v[key] > cap) {
      notices.push({
        key,
        message: `${key}: a ${v[key]}×${v[other]} matrix exceeds this device’s largest storage binding (${limits.maxStorageBufferBindingSize} bytes); using ${cap}.`,
      });
      v[key] = cap;
    }
  }

  const { variant } = tilingArgs(v);
  if (variant === 'register-blocked-vec4') {
    // Four consecutive k of A and four consecutive n of B and C per access.
    for (const key of ['tileK', 'tileN'] as const) {
      const side = v[key];
      if (side % 4) {
        const ok = Math.max(4, Math.round(side / 4) * 4);
        notices.push({
          key,
          message: `${key === 'tileK' ? 'Tile K' : 'Tile N'}: the vec4 kernel moves four floats at a time, so it must be a multiple of 4; using ${ok}.`,
        });
        v[key] = ok;
      }
    }
    const block = v.block;
    const ok = largestDivisor(v.tileM, block);
    if (ok !== block) {
      notices.push({
        key: 'block',
        message: `Per-invocation block: a tile of ${v.tileM} rows is not a whole number of ${block}-row blocks; using ${ok}.`,
      });
      v.block = ok;
    }
  }
  if (variant === 'register-blocked') {
    const block = v.block;
    const ok = largestDivisor(gcd(v.tileM, v.tileN), block);
    if (ok !== block) {
      notices.push({
        key: 'block',
        message: `Per-invocation block: a ${v.tileM}×${v.tileN} tile is not a whole number of ${block}×${block} blocks; using ${ok}.`,
      });
      v.block = ok;
    }
  }

  // Too many invocations: halve the larger tile side (keeping it a multiple of the block).
  let shape = tilingArgs(v).shape;
  let wg = workgroupSize(variant, shape);
  if (
    wg.total > limits.maxComputeInvocationsPerWorkgroup ||
    wg.x > limits.maxComputeWorkgroupSizeX ||
    wg.y > limits.maxComputeWorkgroupSizeY
  ) {
    const why = shapeProblem(variant, shape, limits);
    while (
      wg.total > limits.maxComputeInvocationsPerWorkgroup ||
      wg.x > limits.maxComputeWorkgroupSizeX ||
      wg.y > limits.maxComputeWorkgroupSizeY
    ) {
      const key = shape.tileM / shape.blockM >= shape.tileN / shape.blockN ? 'tileM' : 'tileN';
      const b = key === 'tileM' ? shape.blockM : shape.blockN;
      v[key] = Math.max(b, Math.floor(v[key] / 2 / b) * b);
      shape = tilingArgs(v).shape;
      wg = workgroupSize(variant, shape);
    }
    notices.push({
      key: 'tileM',
      message: `Tile: ${why}; using ${v.tileM}×${v.tileN}${variant === 'tiled' ? ' (or choose the register-blocked kernel, which covers a big tile with fewer invocations)' : ''}.`,
    });
  }

  // Too much workgroup memory: shallower K tiles first, since they do not change the reuse.
  if (workgroupBytes(variant, shape) > limits.maxComputeWorkgroupStorageSize) {
    const why = shapeProblem(variant, shape, limits);
    const minK = variant === 'register-blocked-vec4' ? 4 : 1;
    while (workgroupBytes(variant, shape) > limits.maxComputeWorkgroupStorageSize && v.tileK > minK) {
      v.tileK = Math.max(minK, Math.floor(v.tileK / 2 / minK) * minK);
      shape = tilingArgs(v).shape;
    }
    notices.push({ key: 'tileK', message: `Tile K: ${why}; using tile K = ${v.tileK}.` });
  }
  return { values: v, notices };
}
