import { describe, expect, it } from 'vitest';
import { LimitError } from '../../src/gpu/errors';
import {
  attentionReference,
  checkFlashTile,
  createAttentionInputs,
  flashCost,
  flashWorkgroupBytes,
  prepareFlash,
  prepareStandard,
  standardCost,
  standardRefusal,
  type AttentionShape,
  type FlashTile,
} from '../../src/kernels/attention';
import { maxAbsError } from '../../src/kernels/measure';
import { randomFloats, testRuntime } from '../helpers/gpu';

function inputs(s: AttentionShape, seed: number, lo = -1, hi = 1) {
  const len = s.bh * s.n * s.d;
  return { q: randomFloats(len, seed, lo, hi), k: randomFloats(len, seed + 1, lo, hi), v: randomFloats(len, seed + 2) };
}

async function runBoth(s: AttentionShape, tile: FlashTile, data: ReturnType<typeof inputs>, instrumented = false) {
  const rt = await testRuntime();
  const inp = await createAttentionInputs(rt, s, data.q, data.k, data.v);
  const std = await prepareStandard(rt, inp, { instrumented });
  const flash = await prepareFlash(rt, inp, tile, { instrumented });
  try {
    await std.runOnce();
    await flash.runOnce();
    return {
      std: await std.read(),
      flash: await flash.read(),
      lse: await flash.readLse(),
      stdCounts: instrumented ? await std.counters.read() : null,
      flashCounts: instrumented ? await flash.counters.read() : null,
    };
  } finally {
    std.dispose();
    flash.dispose();
    inp.dispose();
  }
}

describe('attention kernels on Dawn: standard and tiled against the float64 reference', () => {
  const cases: [string, AttentionShape, FlashTile][] = [
    ['d=32, N a multiple of the tiles', { bh: 2, n: 64, d: 32, causal: false }, { br: 16, bc: 16 }],
    [
      'd=64, causal, ragged N, one row per invocation',
      { bh: 2, n: 77, d: 64, causal: true },
      { br: 16, bc: 16, rows: 1 },
    ],
    [
      'd=64, causal, ragged N, two rows per invocation',
      { bh: 2, n: 77, d: 64, causal: true },
      { br: 32, bc: 16, rows: 2 },
    ],
    ['d=128, ragged N, Br ≠ Bc', { bh: 1, n: 45, d: 128, causal: false }, { br: 32, bc: 16 }],
    ['d=32, causal, Bc > Br', { bh: 1, n: 50, d: 32, causal: true }, { br: 8, bc: 32 }],
  ];
  for (const [name, s, tile] of cases) {
    it(`matches: ${name}`, async () => {
      const data = inputs(s, 11);
      const got = await runBoth(s, tile, data);
      const ref = attentionReference(s, data.q, data.k, data.v);
      expect(maxAbsError(got.std, ref.out).error).toBeLessThan(2e-5);
      expect(maxAbsError(got.flash, ref.out).error).toBeLessThan(2e-5);
      expect(maxAbsError(got.lse, ref.lse).error).toBeLessThan(1e-4);
      // Compiling the standard path's three pipelines per N takes SwiftShader tens of seconds on a loaded machine.
    }, 180_000);
  }

  it('stays finite and exact on rows with scores near 1000, where a naive exp overflows', async () => {
    const s: AttentionShape = { bh: 1, n: 40, d: 64, causal: true };
    // Every q and k entry near 12, so scale·q·k ≈ √64·144 ≈ 1150 for all pairs, with keys a few
    // units apart: a naive exp(s) is Infinity in float32 and in float64 alike.
    const data = inputs(s, 5);
    for (let r = 0; r < s.n; r++) {
      for (let c = 0; c < s.d; c++) {
        data.q[r * s.d + c] = 12 * (1 + 0.002 * (r % 3));
        data.k[r * s.d + c] = 12 * (1 - 0.004 * (r % 7));
      }
    }
    const ref = attentionReference(s, data.q, data.k, data.v);
    expect(Math.min(...Array.from(ref.lse))).toBeGreaterThan(1000);
    expect(Math.exp(Math.max(...Array.from(ref.lse)))).toBe(Infinity);
    const got = await runBoth(s, { br: 16, bc: 16 }, data);
    expect(got.flash.every(Number.isFinite)).toBe(true);
    // A float32 score near 1000 carries ~1e-4 of rounding, which exp turns into ~1e-4 relative error.
    expect(maxAbsError(got.std, ref.out).error).toBeLessThan(2e-3);
    expect(maxAbsError(got.flash, ref.out).error).toBeLessThan(2e-3);
    expect(maxAbsError(got.lse, ref.lse).error).toBeLessThan(2e-3);
  });
});

describe('attention traffic counters equal the cost model exactly', () => {
  const shapes: [AttentionShape, FlashTile][] = [
    [
      { bh: 2, n: 50, d: 32, causal: false },
      { br: 16, bc: 16 },
    ],
    [
      { bh: 2, n: 50, d: 32, causal: true },
      { br: 16, bc: 16, rows: 1 },
    ],
    [
      { bh: 1, n: 70, d: 32, causal: true },
      { br: 8, bc: 32 },
    ],
  ];
  for (const [s, tile] of shapes) {
    it(`N=${s.n}, d=${s.d}, ${s.causal ? 'causal' : 'full'}, Br=${tile.br}, Bc=${tile.bc}, rows=${tile.rows ?? 2}`, async () => {
      const got = await runBoth(s, tile, inputs(s, 3), true);
      const sc = standardCost(s);
      const fc = flashCost(s, tile);
      expect(got.stdCounts).toEqual({ bytesRead: sc.bytesRead, bytesWritten: sc.bytesWritten });
      expect(got.flashCounts).toEqual({ bytesRead: fc.bytesRead, bytesWritten: fc.bytesWritten });
    });
  }

  it('causal skipping reads fewer K/V bytes than the full mask', () => {
    const s: AttentionShape = { bh: 1, n: 256, d: 64, causal: false };
    const tile = { br: 32, bc: 32 };
    const full = flashCost(s, tile).bytesRead;
    const causal = flashCost({ ...s, causal: true }, tile).bytesRead;
    // 8 query blocks visit 1..8 key blocks: 36 of 64 block loads, plus Q.
    expect(causal).toBe((256 * 64 + 2 * 36 * 32 * 64) * 4);
    expect(causal).toBeLessThan(full);
  });
});

describe('attention limits', () => {
  it('refuses a tile that needs more workgroup memory than the device has, before compiling', async () => {
    const rt = await testRuntime();
    const limits = rt.info.limits;
    const tile = { br: 64, bc: 64 };
    const need = flashWorkgroupBytes(128, tile);
    expect(need).toBeGreaterThan(limits.maxComputeWorkgroupStorageSize);
    expect(() => checkFlashTile(128, tile, limits)).toThrow(LimitError);
    expect(() => checkFlashTile(128, tile, limits)).toThrow(`needs ${need} bytes of workgroup memory`);
    expect(() => checkFlashTile(128, tile, limits)).toThrow(
      `this device has ${limits.maxComputeWorkgroupStorageSize} bytes`,
    );
    // Twice the invocations this adapter allows (256 on SwiftShader, 1024 on lavapipe), then exactly them.
    const maxInv = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
    expect(() => checkFlashTile(64, { br: 4 * maxInv, bc: 16 }, limits)).toThrow(
      `needs ${2 * maxInv} invocations per workgroup, this device allows ${maxInv}`,
    );
    expect(() => checkFlashTile(64, { br: 2 * maxInv, bc: 16, rows: 2 }, limits)).not.toThrow();
    expect(() => checkFlashTile(64, { br: 64, bc: 8 }, limits)).toThrow(/Bc = 8 must be a multiple of 16/);
    expect(() => checkFlashTile(64, { br: 9, bc: 16 }, limits)).toThrow(/Br = 9 must be a multiple of the 2 rows/);
    expect(() => checkFlashTile(48, { br: 16, bc: 16 }, limits)).toThrow(/d = 48 is not supported/);
    const s: AttentionShape = { bh: 1, n: 64, d: 128, causal: false };
    const data = inputs(s, 1);
    const inp = await createAttentionInputs(rt, s, data.q, data.k, data.v);
    const before = rt.pipelines.size;
    try {
      await expect(prepareFlash(rt, inp, tile)).rejects.toThrow(LimitError);
      expect(rt.pipelines.size).toBe(before);
    } finally {
      inp.dispose();
    }
  });

  it('says when the standard path’s N×N matrix does not fit', async () => {
    const rt = await testRuntime();
    const msg = standardRefusal({ bh: 32, n: 16384, d: 64, causal: false }, rt.info.limits);
    expect(msg).toMatch(/score matrix .* 32\.00 GiB, but this device binds at most/);
    expect(standardRefusal({ bh: 1, n: 256, d: 64, causal: false }, rt.info.limits)).toBeNull();
  });
});
