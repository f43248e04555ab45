import { fmtRatio } from '../../ui/format';
import { SOFTWARE_ADAPTER } from '../../ui/GuardNote';

/**
 * The lesson: decoding one token is memory-bound, so int4 weights (about 1/7 of f32's bytes) make
 * the GEMV several times faster. Disagreement: int4 is less than 1.5× faster than f32 at this
 * batch. Null when it agrees or a row is missing.
 */
export function decodeGuard(m: {
  f32Ms: number | null;
  int4Ms: number | null;
  f32Bytes: number;
  int4Bytes: number;
  M: number;
  software: boolean;
}): string | null {
  if (!m.f32Ms || !m.int4Ms || !(m.f32Ms > 0) || !(m.int4Ms > 0)) return null;
  const speedup = m.f32Ms / m.int4Ms;
  if (speedup >= 1.5) return null;
  const what = `int4 ran ${fmtRatio(speedup)} as fast as f32 while reading ${fmtRatio(m.f32Bytes / m.int4Bytes)} fewer bytes.`;
  if (m.software)
    return `${what} ${SOFTWARE_ADAPTER} There the unpacking and scaling of each 4-bit weight costs more than the bytes it saves; a GPU waiting on DRAM hides that arithmetic.`;
  if (m.M > 8)
    return `${what} At a batch of M = ${m.M} each weight serves ${m.M} tokens, so the kernel is no longer memory-bound: quantization saves bytes, not FLOPs. Try M = 1.`;
  if (m.f32Bytes <= 8 * 2 ** 20)
    return `${what} The f32 weights (${Math.round(m.f32Bytes / 2 ** 20)} MiB) fit in the GPU’s cache here, so bytes are cheap; raise N or K.`;
  return `${what} On this GPU the int4 kernel may be limited by its dequantizing instructions; the byte counts still hold.`;
}

/** The guard rail for a decode run: its f32 and int4 rows at the run's batch M, when both ran. */
export function decodeGuardOf(r: {
  rows: { variant: string; medianMs: number; compulsoryBytes: number }[];
  M: number;
  software: boolean;
}): string | null {
  const f32 = r.rows.find((x) => x.variant === 'f32');
  const int4 = r.rows.find((x) => x.variant === 'int4');
  if (!f32 || !int4) return null;
  return decodeGuard({
    f32Ms: f32.medianMs,
    int4Ms: int4.medianMs,
    f32Bytes: f32.compulsoryBytes,
    int4Bytes: int4.compulsoryBytes,
    M: r.M,
    software: r.software,
  });
}
