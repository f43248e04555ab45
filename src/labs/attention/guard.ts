import { fmtRatio } from '../../ui/format';
import { SOFTWARE_ADAPTER } from '../../ui/GuardNote';

/**
 * The lesson: FlashAttention's tiled kernel never writes the N×N score matrix, moves fewer global
 * bytes and so runs faster than the textbook kernel. Disagreement: tiled is not faster (speedup < 1)
 * although it moved fewer bytes. Null when it agrees or when the standard path did not run.
 */
export function attentionGuard(m: {
  standardMs: number | null;
  tiledMs: number;
  bytesRatio: number;
  n: number;
  software: boolean;
}): string | null {
  if (m.standardMs === null || !(m.standardMs > 0) || !(m.tiledMs > 0)) return null;
  const speedup = m.standardMs / m.tiledMs;
  if (speedup >= 1) return null;
  const what = `the tiled (FlashAttention) kernel ran ${fmtRatio(speedup)} as fast as the standard one while moving ${fmtRatio(m.bytesRatio)} fewer global bytes.`;
  const cap = what[0].toUpperCase() + what.slice(1);
  if (m.software)
    return `${cap} ${SOFTWARE_ADAPTER} The score matrix the standard kernel writes and reads back stays in cache, and the tiled kernel’s workgroup barriers and online-softmax rescaling are the costly part. On a GPU the N×N matrix goes to HBM and the tiled kernel wins as N grows.`;
  if (m.n <= 1024)
    return `${cap} At N = ${m.n} the score matrix (${Math.round((m.n * m.n * 4) / 1024)} KiB per head) still fits in the GPU’s L2 cache, so writing it costs little; FlashAttention’s saving grows with N², so try a larger N.`;
  return `${cap} On this GPU the tiled kernel’s tile shape may not suit it (too few workgroups to fill it, or a workgroup-memory limit); the byte counts still hold.`;
}
