import { fmtRatio } from '../../ui/format';
import { SOFTWARE_ADAPTER } from '../../ui/GuardNote';

/** Below this many bytes an unfused pass's intermediate (N floats) fits in a typical last-level cache. */
export const CACHE_BYTES = 8 * 2 ** 20;

/**
 * The lesson: fusing bias + GELU + residual cuts the bytes moved by `trafficRatio` (28 → 12 per
 * element), and a memory-bound chain speeds up by about as much. Disagreement: the best fused kernel
 * is less than 1.2× faster than the unfused chain. Null when the run agrees (or has no numbers).
 */
export function memoryWallGuard(m: {
  unfusedMs: number;
  fusedMs: number;
  fusedLabel: string;
  trafficRatio: number;
  n: number;
  software: boolean;
}): string | null {
  if (!(m.unfusedMs > 0) || !(m.fusedMs > 0)) return null;
  const speedup = m.unfusedMs / m.fusedMs;
  if (speedup >= 1.2) return null;
  const what = `${m.fusedLabel} ran ${fmtRatio(speedup)} as fast as the unfused chain while moving ${fmtRatio(m.trafficRatio)} fewer bytes.`;
  if (m.software)
    return `${what} ${SOFTWARE_ADAPTER} The unfused passes’ intermediate stays in those caches, so its extra trips cost little; on a GPU they go to DRAM and the speedup approaches the traffic ratio.`;
  if (m.n * 4 <= CACHE_BYTES)
    return `${what} At N = ${m.n} floats the intermediate (${Math.round((m.n * 4) / 1024)} KiB) fits in the GPU’s L2 cache, so the unfused passes barely touch DRAM; raise N past the cache to see the memory wall.`;
  return `${what} On this GPU the passes may not be limited by bandwidth (launch overhead or a busy machine); re-run, and compare the points with the bandwidth roof.`;
}
