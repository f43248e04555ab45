/**
 * The roofline model (Williams, Waterman and Patterson, "Roofline: an insightful visual performance
 * model for multicore architectures", CACM 2009): a kernel that does F FLOPs while moving B bytes of
 * DRAM traffic cannot run faster than either roof, so attainable rate = min(peak, intensity x bandwidth).
 */
export interface Roofs {
  /** Slanted roof: global-memory bandwidth, GB/s. */
  bandwidthGBps: number;
  /** Flat roof: compute throughput, GFLOP/s. */
  peakGflops: number;
}

/** FLOP per byte of global-memory traffic; 0 for pure data movement. */
export function intensity(flops: number, bytes: number): number {
  return bytes > 0 ? flops / bytes : Infinity;
}

/** GFLOP/s reachable at `flopPerByte` (GB/s x FLOP/B = GFLOP/s). */
export function attainable(flopPerByte: number, roofs: Roofs): number {
  if (!(flopPerByte >= 0)) return NaN;
  return Math.min(roofs.peakGflops, flopPerByte * roofs.bandwidthGBps);
}

/** Intensity where the roofs meet: below it a kernel is memory-bound, above it compute-bound. */
export function ridgePoint(roofs: Roofs): number {
  return roofs.peakGflops / roofs.bandwidthGBps;
}

export type Bound = 'memory' | 'compute';

export function boundBy(flopPerByte: number, roofs: Roofs): Bound {
  return flopPerByte < ridgePoint(roofs) ? 'memory' : 'compute';
}

/** Lower bound on time, ms: whichever of moving the bytes or doing the FLOPs takes longer. */
export function projectedMs(flops: number, bytes: number, roofs: Roofs): number {
  const memoryS = bytes / (roofs.bandwidthGBps * 1e9);
  const computeS = flops / (roofs.peakGflops * 1e9);
  return Math.max(memoryS, computeS) * 1e3;
}

/** Achieved GFLOP/s of a measured run. */
export function achievedGflops(flops: number, ms: number): number {
  return ms > 0 ? flops / (ms * 1e6) : NaN;
}

/** Fraction of the roof a measured run reached at its intensity (1 = on the roof). */
export function rooflineEfficiency(flops: number, bytes: number, ms: number, roofs: Roofs): number {
  return projectedMs(flops, bytes, roofs) / ms;
}

/** The measured roofs of this device: copy kernel bandwidth and FMA-chain throughput. */
export function roofsFromMeasured(c: { copy: { gbPerS: number }; fma: { gflopPerS: number } }): Roofs | null {
  const r = { bandwidthGBps: c.copy.gbPerS, peakGflops: c.fma.gflopPerS };
  return r.bandwidthGBps > 0 && r.peakGflops > 0 && Number.isFinite(r.bandwidthGBps) && Number.isFinite(r.peakGflops)
    ? r
    : null;
}

/** Roofs of a reference profile at a precision; BF16 falls back to FP32 where none is published. */
export function roofsOfProfile(
  p: { bandwidthGBps: number; fp32Gflops: number; bf16Gflops: number | null },
  precision: 'fp32' | 'bf16' = 'fp32',
): Roofs {
  return {
    bandwidthGBps: p.bandwidthGBps,
    peakGflops: precision === 'bf16' && p.bf16Gflops ? p.bf16Gflops : p.fp32Gflops,
  };
}
