import { fmtRatio } from '../../ui/format';
import { SOFTWARE_ADAPTER } from '../../ui/GuardNote';

/**
 * The lesson: staging tiles of A and B in workgroup memory cuts global reads by the reuse factor,
 * so the tiled kernel beats the naive one. Disagreement: the chosen kernel is slower than naive.
 */
export function tilingGuard(m: {
  label: string;
  gflops: number;
  naiveGflops: number;
  bytesRead: number;
  naiveBytesRead: number;
  software: boolean;
}): string | null {
  if (!(m.gflops > 0) || !(m.naiveGflops > 0) || m.gflops >= m.naiveGflops) return null;
  const what = `${m.label} ran at ${fmtRatio(m.gflops / m.naiveGflops)} the naive kernel’s speed, while moving ${fmtRatio(m.naiveBytesRead / m.bytesRead)} fewer global bytes.`;
  if (m.software)
    return `${what} ${SOFTWARE_ADAPTER} So the saved traffic is cheap and each workgroup barrier expensive. On a GPU, where a trip to DRAM costs hundreds of cycles, the saved bytes are what counts.`;
  return `${what} At a small size the naive kernel’s re-reads hit in cache and the tiled kernel’s barriers dominate; a larger M×N×K lets the saved traffic show.`;
}
