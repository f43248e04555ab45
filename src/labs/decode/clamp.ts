import type { GpuInfo } from '../../gpu/device';
import type { ParamNotice } from '../../labkit/schema';

/**
 * Largest layer side on a software adapter. SwiftShader runs WGSL on the CPU: a 4096×4096 f32
 * layer is 64 MiB per pass and the lab's five kernels, checks and sweep would take minutes.
 */
export const SOFTWARE_MAX_SIDE = 1024;

/** The largest N·K whose f32 weights fit one storage binding on this device. */
export function maxWeights(info: Pick<GpuInfo, 'limits'>): number {
  return Math.floor(Math.min(info.limits.maxStorageBufferBindingSize, info.limits.maxBufferSize) / 4);
}

/**
 * Shrinks N and K (each by halving, K kept a multiple of 256 so every format and group divides
 * it) until the f32 weights fit one binding, and to SOFTWARE_MAX_SIDE on software adapters,
 * with a notice per change saying why.
 */
export function clampLayer(
  N: number,
  K: number,
  info: Pick<GpuInfo, 'limits' | 'software'>,
): { N: number; K: number; notices: ParamNotice[] } {
  const notices: ParamNotice[] = [];
  let n = N;
  let k = K;
  if (info.software) {
    if (n > SOFTWARE_MAX_SIDE) n = SOFTWARE_MAX_SIDE;
    if (k > SOFTWARE_MAX_SIDE) k = SOFTWARE_MAX_SIDE;
    if (n !== N || k !== K)
      notices.push({
        key: n !== N ? 'N' : 'K',
        message: `This adapter is a software rasterizer (a CPU): the layer is limited to ${SOFTWARE_MAX_SIDE}×${SOFTWARE_MAX_SIDE} so the run takes seconds, not minutes. Real projections are 4096×4096 and larger; the bytes per weight and errors are the same, the times are a CPU's.`,
      });
  }
  const max = maxWeights(info);
  const before = { n, k };
  while (n * k > max && (n > 256 || k > 256)) {
    if (n >= k && n > 256) n = Math.max(256, n >> 1);
    else k = Math.max(256, k >> 1);
  }
  if (n !== before.n || k !== before.k)
    notices.push({
      key: n !== before.n ? 'N' : 'K',
      message: `A ${before.n}×${before.k} f32 weight matrix (${((before.n * before.k * 4) / 2 ** 20).toFixed(0)} MiB) exceeds this device’s largest storage buffer (${(max / 2 ** 18).toFixed(0)} MiB); using ${n}×${k}.`,
    });
  return { N: n, K: k, notices };
}
