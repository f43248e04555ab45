import { fmtCount } from '../../ui/format';
import { defineModule, type RooflinePoint } from '../../labkit/contract';
import { meta } from './meta';
import { runMemoryWall, type MemoryWallResult } from './run';
import { MemoryWallView } from './View';

/** Every kernel of a run (the fused ones and each unfused pass) on the shared roofline; a new run replaces them. */
export function memoryWallRoofline(data: MemoryWallResult): RooflinePoint[] {
  const size = `N = ${fmtCount(data.n)}, H = ${data.h}`;
  return data.rows.map((r) => ({
    id: `memory-wall/${r.key}/${data.n}x${data.h}`,
    lab: 'memory-wall',
    kernel: r.pass ? `${r.pass} pass` : 'bias+GELU+residual',
    variant: r.pass ? 'unfused, alone' : r.label,
    size,
    flops: r.flops,
    bytes: r.bytesMoved,
    ms: r.medianMs,
    adapter: data.adapter,
  }));
}

export default defineModule(meta, { run: runMemoryWall, View: MemoryWallView, roofline: memoryWallRoofline });
