import { describe, expect, it } from 'vitest';
import {
  MODEL_PRESETS,
  findGpu,
  microBatchesFor,
  paramCount,
  ringAllGatherBytes,
  ringAllReduceBytes,
  ringReduceScatterBytes,
  scalingCurve,
  stepTime,
  type ParallelConfig,
} from '../../src/sim/cluster';

const model = MODEL_PRESETS.find((m) => m.id === 'gpt3-6.7b')!;
const h100 = findGpu('h100-sxm')!;
const base: ParallelConfig = {
  gpus: 64,
  tp: 1,
  pp: 1,
  sp: false,
  microBatch: 1,
  microBatches: 1,
  strategy: 'ddp',
  recompute: 'none',
  precision: 'bf16',
  offload: 'none',
  schedule: '1f1b',
  chunks: 1,
};

describe('ring collectives', () => {
  it('send 2(N−1)/N of the buffer per rank for an all-reduce, (N−1)/N for its halves', () => {
    expect(ringAllReduceBytes(1000, 4)).toBe(1500);
    expect(ringReduceScatterBytes(1000, 4) + ringAllGatherBytes(1000, 4)).toBe(ringAllReduceBytes(1000, 4));
    expect(ringAllReduceBytes(1000, 1)).toBe(0);
  });
});

describe('step time', () => {
  it('sends ZeRO-3 1.5× the bytes of DDP per step (3Ψ vs 2Ψ, ZeRO paper §7.2.2)', () => {
    const ddp = stepTime({ model, config: base, gpu: h100, efficiency: 0.5, overlap: false });
    const z3 = stepTime({ model, config: { ...base, strategy: 'zero3' }, gpu: h100, efficiency: 0.5, overlap: false });
    const z2 = stepTime({ model, config: { ...base, strategy: 'zero2' }, gpu: h100, efficiency: 0.5, overlap: false });
    expect(z3.dp.bytes / ddp.dp.bytes).toBeCloseTo(1.5, 12);
    expect(z2.dp.bytes).toBeCloseTo(ddp.dp.bytes, 3); // ZeRO-2 moves the same volume as DDP
    // DDP: 2(N−1)/N × 2 bytes × Ψ.
    expect(ddp.dp.bytes).toBeCloseTo(((2 * 63) / 64) * 2 * paramCount(model), 0);
    expect(ddp.dp.network).toBe('inter'); // 64 GPUs span 8 nodes
  });

  it('computes 6·Ψ·tokens FLOPs at the chosen efficiency and one more forward with full recompute', () => {
    const s = stepTime({ model, config: base, gpu: h100, efficiency: 0.5, overlap: false });
    expect(s.tokens).toBe(64 * 2048);
    expect(s.modelFlopsPerGpu).toBeCloseTo(6 * paramCount(model) * 2048, 0);
    expect(s.computeS).toBeCloseTo(s.modelFlopsPerGpu / (989.5e12 * 0.5), 12);
    const full = stepTime({
      model,
      config: { ...base, recompute: 'full' },
      gpu: h100,
      efficiency: 0.5,
      overlap: false,
    });
    expect(full.hardwareFlopsPerGpu / full.modelFlopsPerGpu).toBeCloseTo(8 / 6, 12);
  });

  it('hides data-parallel traffic behind backward when overlap is on, never below compute', () => {
    const c = { ...base, microBatches: 8 };
    const off = stepTime({ model, config: c, gpu: h100, efficiency: 0.5, overlap: false });
    const on = stepTime({ model, config: c, gpu: h100, efficiency: 0.5, overlap: true });
    expect(on.stepS).toBeLessThan(off.stepS);
    expect(on.stepS).toBeGreaterThanOrEqual(on.computeS);
    expect(off.stepS).toBeCloseTo(off.computeS + off.dp.seconds, 12);
  });

  it('adds the pipeline bubble (p−1)/m of compute', () => {
    const c = { ...base, gpus: 64, pp: 4, microBatches: 16 };
    const s = stepTime({ model, config: c, gpu: h100, efficiency: 0.5, overlap: true });
    expect(s.bubbleS / s.computeS).toBeCloseTo(3 / 16, 12);
    const i = stepTime({
      model,
      config: { ...c, schedule: 'interleaved', chunks: 2 },
      gpu: h100,
      efficiency: 0.5,
      overlap: true,
    });
    expect(i.bubbleS / i.computeS).toBeCloseTo(3 / 32, 12);
  });

  it('puts tensor parallel traffic on NVLink while t fits in a node', () => {
    const s = stepTime({ model, config: { ...base, tp: 8 }, gpu: h100, efficiency: 0.5, overlap: true });
    expect(s.tp.network).toBe('intra');
    // 4 all-reduces of b·s·h·2 bytes per layer: 32 layers × 4 × 2·7/8 × 2048·4096·2.
    expect(s.tp.bytes).toBeCloseTo(32 * 4 * ((2 * 7) / 8) * 2048 * 4096 * 2, 0);
  });
});

describe('scaling at a fixed global batch', () => {
  it('shows where DDP stops scaling: MFU falls once the all-reduce outgrows each GPU’s shrinking compute', () => {
    const small = MODEL_PRESETS.find((m) => m.id === 'gpt3-xl')!;
    const counts = [8, 16, 32, 64, 128, 256, 512, 1024, 2048];
    const pts = scalingCurve(
      { model: small, config: base, gpu: h100, efficiency: 0.5, overlap: true, globalBatch: 1024 },
      counts,
    ).filter((p) => p.strategy === 'ddp');
    const mfu = pts.map((p) => p.step?.mfu ?? 0);
    // Near the chosen efficiency at small N …
    expect(mfu[0]).toBeGreaterThan(0.45);
    // … falling monotonically once communication is exposed …
    for (let i = 1; i < mfu.length - 1; i++) expect(mfu[i]).toBeLessThanOrEqual(mfu[i - 1] + 1e-12);
    expect(mfu[counts.indexOf(1024)]).toBeLessThan(0.5 * mfu[0]);
    // … and past 1024 replicas a 1024-sequence batch has no micro-batch left for a replica.
    expect(pts[counts.indexOf(2048)].reason).toBe('batch');
    expect(microBatchesFor(1024, { ...base, gpus: 2048 })).toBe(0);
  });

  it('marks DDP of a 7B model out of memory on 80 GB where ZeRO-3 fits', () => {
    const pts = scalingCurve(
      { model, config: { ...base, recompute: 'full' }, gpu: h100, efficiency: 0.5, overlap: true, globalBatch: 1024 },
      [64],
    );
    expect(pts.find((p) => p.strategy === 'ddp')!.fits).toBe(false);
    expect(pts.find((p) => p.strategy === 'zero3')!.fits).toBe(true);
  });
});
