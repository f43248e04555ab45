import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import {
  activations,
  awqSearch,
  bytesPerWeight,
  channelGains,
  dequantize,
  errorStats,
  fromHalfBits,
  gemvCost,
  gemvReference,
  layerWeights,
  packedBytes,
  prepareGemv,
  quantize,
  quantizeGroup,
  QUANT_VARIANTS,
  scaleColumns,
  toHalfBits,
  unscaleActivations,
  uploadWeights,
  type GemvShape,
  type QuantVariant,
} from '../../src/kernels/quant';
import { testRuntime } from '../helpers/gpu';

async function runGemv(variant: QuantVariant, M: number, N: number, K: number, group: number, shape?: GemvShape) {
  const rt = await testRuntime();
  const w = layerWeights(N, K, 3);
  const x = activations(M, K, channelGains(K), 4);
  const packed = quantize(variant, w, N, K, group);
  const wb = await uploadWeights(rt, packed);
  const k = await prepareGemv(rt, wb, M, { x, shape, instrumented: true });
  try {
    await runSteps(rt.device, k.steps);
    const got = await k.read();
    return {
      got,
      exact: gemvReference(x, dequantize(packed), M, N, K),
      original: gemvReference(x, w, M, N, K),
      traffic: await k.counters.read(),
      cost: k.cost,
      packed,
    };
  } finally {
    k.dispose();
    wb.dispose();
  }
}

describe('f16 conversion', () => {
  it('rounds to nearest, ties to even, like pack2x16float', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(65520)).toBe(0x7c00);
    expect(fromHalfBits(toHalfBits(1 + 2 ** -11))).toBe(1); // tie → even mantissa
    expect(fromHalfBits(toHalfBits(1 + 3 * 2 ** -11))).toBe(1 + 2 ** -9);
    expect(fromHalfBits(toHalfBits(2 ** -24))).toBe(2 ** -24); // smallest subnormal
    expect(fromHalfBits(toHalfBits(0.1))).toBeCloseTo(0.0999755859375, 12);
  });
});

describe('quantizers', () => {
  const N = 8;
  const K = 256;
  const w = layerWeights(N, K, 11);
  it('store exactly the bytes per weight of the cost model', () => {
    expect(packedBytes(quantize('f32', w, N, K, 32))).toBe(N * K * 4);
    expect(packedBytes(quantize('f16', w, N, K, 32))).toBe(N * K * 2);
    expect(packedBytes(quantize('int8', w, N, K, 32))).toBe(N * K * bytesPerWeight('int8', K, null));
    expect(packedBytes(quantize('int4', w, N, K, 32))).toBe(N * K * bytesPerWeight('int4', K, 32));
    expect(packedBytes(quantize('int4-zp', w, N, K, 128))).toBe(N * K * bytesPerWeight('int4-zp', K, 128));
    expect(bytesPerWeight('int4', K, 32)).toBe(0.5625); // Q4_0: 18 bytes per 32 weights
  });
  it('round-trip error shrinks with more bits, and zero points help int4', () => {
    const err = (v: QuantVariant, g = 32) => errorStats(dequantize(quantize(v, w, N, K, g)), w).relRms;
    expect(err('f32')).toBe(0);
    expect(err('f16')).toBeLessThan(1e-3);
    expect(err('int8')).toBeLessThan(err('int4'));
    expect(err('int4')).toBeLessThan(0.2);
    expect(err('int4-zp')).toBeLessThan(err('int4'));
    expect(err('int4', 32)).toBeLessThan(err('int4', 128));
  });
  it('int4 with zero points widens a one-sign group to include 0, so its error stays within half a scale', () => {
    // All-positive and all-negative groups: before the range held 0, the zero point clamped to
    // 0 (or 15) and every level shifted, an error of ~min/scale (≈150 scales for 10…10.1).
    for (const sign of [1, -1]) {
      const g = Array.from({ length: 32 }, (_, i) => sign * (10 + i / 310));
      const p = quantize('int4-zp', g, 1, 32, 32);
      const back = dequantize(p);
      const scale = Math.max(...g.map(Math.abs)) / 15;
      for (let i = 0; i < 32; i++) expect(Math.abs(back[i] - g[i])).toBeLessThanOrEqual(scale * 0.5 * 1.001);
      expect(quantizeGroup(g, 0, 32, true).zero).toBe(sign > 0 ? 0 : 15);
    }
  });
  it('AWQ scale search never does worse than RTN on its calibration batch, and wins with outlier channels', () => {
    const NN = 64;
    const KK = 512;
    const ww = layerWeights(NN, KK, 5);
    const gains = channelGains(KK, 9);
    const calib = activations(16, KK, gains, 21);
    const s = awqSearch(ww, NN, KK, calib, 16, 128, false, { steps: 11, sampleRows: 64 });
    expect(s.grid).toHaveLength(11);
    expect(s.rtnMse).toBe(s.grid[0].mse);
    expect(s.awqMse).toBeLessThan(s.rtnMse * 0.9);
    expect(s.alpha).toBeGreaterThan(0);
    // Held-out activations: the chosen scales still reduce the output error.
    const x = activations(8, KK, gains, 33);
    const want = gemvReference(x, ww, 8, NN, KK);
    const rtn = errorStats(gemvReference(x, dequantize(quantize('int4', ww, NN, KK, 128)), 8, NN, KK), want).relRms;
    const scaled = quantize('int4', scaleColumns(ww, NN, KK, s.scales), NN, KK, 128);
    const awq = errorStats(
      gemvReference(unscaleActivations(x, 8, KK, s.scales), dequantize(scaled), 8, NN, KK),
      want,
    ).relRms;
    expect(awq).toBeLessThan(rtn);
  });
});

describe('quantized GEMV/GEMM kernels on Dawn', () => {
  const cases: { M: number; N: number; K: number; group: number; shape?: GemvShape }[] = [
    { M: 1, N: 37, K: 256, group: 32 },
    { M: 5, N: 29, K: 384, group: 128 },
    { M: 3, N: 13, K: 128, group: 32, shape: { wg: 32, rows: 3, mTile: 2 } },
  ];
  for (const v of QUANT_VARIANTS) {
    for (const c of cases) {
      it(`${v} M=${c.M} N=${c.N} K=${c.K} g=${c.group}${c.shape ? ' (odd split)' : ''}: exact vs its dequantized weights, counts = cost model`, async () => {
        const r = await runGemv(v, c.M, c.N, c.K, c.group, c.shape);
        expect(errorStats(r.got, r.exact).relMax).toBeLessThan(2e-6);
        expect(r.traffic.bytesRead).toBe(r.cost.bytesRead);
        expect(r.traffic.bytesWritten).toBe(r.cost.bytesWritten);
        expect(r.cost.bytesWritten).toBe(c.M * c.N * 4);
        // The quantization error the user pays is the error against the original weights.
        const paid = errorStats(r.got, r.original).relRms;
        if (v === 'f32') expect(paid).toBeLessThan(1e-6);
        else expect(paid).toBeGreaterThan(1e-6);
        if (v === 'int4' || v === 'int4-zp') expect(paid).toBeLessThan(0.25);
      });
    }
  }

  it('weight traffic per row tile is exactly the bytes per weight of each format', () => {
    const dims = { M: 1, N: 64, K: 1024 };
    const shape = { wg: 64, rows: 4, mTile: 1 };
    const xBytes = 4 * dims.K * (dims.N / 4);
    const weightBytes = (v: QuantVariant, g: number | null) =>
      gemvCost(v, dims, g, shape).bytesRead - xBytes - (v === 'int8' ? 4 * dims.N : 0);
    expect(weightBytes('f32', null)).toBe(4 * 64 * 1024);
    expect(weightBytes('f16', null)).toBe(2 * 64 * 1024);
    expect(weightBytes('int8', null)).toBe(64 * 1024);
    expect(weightBytes('int4', 32)).toBe(64 * 1024 * (0.5 + 2 / 32));
    expect(weightBytes('int4-zp', 128)).toBe(64 * 1024 * (0.5 + 3 / 128));
  });

  it('refuses K that is not a whole number of units or groups, with the reason and the fix', async () => {
    const rt = await testRuntime();
    const w = layerWeights(4, 96, 1);
    expect(() => quantize('int4', w, 4, 96, 128)).toThrow(
      /K = 96 is not a multiple of the group size 128.*Pad K to 128/,
    );
    expect(() => quantize('int8', layerWeights(4, 40, 1), 4, 40, 32)).toThrow(/K = 40 is not a multiple of 16/);
    expect(() => quantize('int4', w, 4, 96, 48)).toThrow(/group size must be one of 32, 64, 128, 256/);
    const wb = await uploadWeights(rt, quantize('f32', w, 4, 96, 32));
    try {
      await expect(prepareGemv(rt, wb, 0)).rejects.toThrow(/M must be a whole number of at least 1/);
      await expect(prepareGemv(rt, wb, 2, { shape: { wg: 48, rows: 4, mTile: 2 } })).rejects.toThrow(/power of two/);
    } finally {
      wb.dispose();
    }
  });
});
