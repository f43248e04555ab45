import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import { LimitError } from '../../src/gpu/errors';
import {
  matmulCost,
  matmulReference,
  matmulSource,
  prepareMatmul,
  relativeError,
  shapeProblem,
  workgroupBytes,
  type MatmulDims,
  type MatmulVariant,
  type TileShape,
} from '../../src/kernels/matmul';
import { specialise } from '../../src/kernels/specialise';
import { randomFloats, testRuntime } from '../helpers/gpu';

const RAGGED: MatmulDims = { M: 37, N: 29, K: 41 };

interface Case {
  variant: MatmulVariant;
  shape: TileShape;
}

const CASES: Case[] = [
  { variant: 'naive', shape: { tileM: 16, tileN: 16, tileK: 1, blockM: 1, blockN: 1 } },
  { variant: 'tiled', shape: { tileM: 16, tileN: 16, tileK: 16, blockM: 1, blockN: 1 } },
  // Tiles that do not divide any of M, N, K, and a non-square one.
  { variant: 'tiled', shape: { tileM: 8, tileN: 4, tileK: 5, blockM: 1, blockN: 1 } },
  { variant: 'register-blocked', shape: { tileM: 64, tileN: 64, tileK: 16, blockM: 4, blockN: 4 } },
  { variant: 'register-blocked', shape: { tileM: 16, tileN: 32, tileK: 7, blockM: 2, blockN: 4 } },
  // vec4: the default (8 rows × one vec4 each) and a small 4×4 one with several K steps at 41.
  { variant: 'register-blocked-vec4', shape: { tileM: 64, tileN: 64, tileK: 32, blockM: 8, blockN: 4 } },
  { variant: 'register-blocked-vec4', shape: { tileM: 16, tileN: 16, tileK: 8, blockM: 4, blockN: 4 } },
];
const VEC4 = CASES.filter((c) => c.variant === 'register-blocked-vec4');

const label = (c: Case) =>
  `${c.variant} ${c.shape.tileM}×${c.shape.tileN}×${c.shape.tileK} block ${c.shape.blockM}×${c.shape.blockN}`;

async function runCase(c: Case, dims: MatmulDims, instrumented: boolean, seed = 1) {
  const rt = await testRuntime();
  const a = randomFloats(dims.M * dims.K, seed);
  const b = randomFloats(dims.K * dims.N, seed + 1);
  const k = await prepareMatmul(rt, c.variant, dims, c.shape, { instrumented, inputs: { a, b } });
  try {
    await runSteps(rt.device, k.steps);
    return { out: await k.read(), traffic: await k.counters.read(), cost: k.cost, want: matmulReference(a, b, dims) };
  } finally {
    k.dispose();
  }
}

describe('matmul kernels on Dawn', () => {
  for (const c of CASES) {
    it(`${label(c)}: matches the CPU reference on ragged 37×29×41 and counts exactly the modelled traffic`, async () => {
      const { out, traffic, cost, want } = await runCase(c, RAGGED, true);
      expect(relativeError(out, want)).toBeLessThan(1e-5);
      expect(traffic.bytesRead).toBe(cost.bytesRead);
      expect(traffic.bytesWritten).toBe(cost.bytesWritten);
      expect(cost.bytesWritten).toBe(37 * 29 * 4);
    });
  }

  it('the timing build (no counters) computes the same product and counts nothing', async () => {
    const { out, traffic, want } = await runCase(CASES[3], { M: 70, N: 65, K: 33 }, false, 5);
    expect(relativeError(out, want)).toBeLessThan(1e-5);
    expect(traffic).toEqual({ bytesRead: 0, bytesWritten: 0 });
  });

  it('transposeB multiplies by Bᵀ stored N×K (attention’s Q·Kᵀ) in every variant, with the same traffic', async () => {
    const dims: MatmulDims = { M: 19, N: 23, K: 13, transposeB: true };
    for (const c of [CASES[0], CASES[2], CASES[4], ...VEC4]) {
      const { out, traffic, cost, want } = await runCase(c, dims, true, 9);
      expect(relativeError(out, want), label(c)).toBeLessThan(1e-5);
      expect(traffic.bytesRead, label(c)).toBe(cost.bytesRead);
    }
    // The reference really reads B as N×K: B[n][k] multiplies A[m][k].
    const a = new Float32Array([1, 2]);
    const b = new Float32Array([3, 4, 5, 6]);
    expect(Array.from(matmulReference(a, b, { M: 1, N: 2, K: 2, transposeB: true }))).toEqual([11, 17]);
    expect(Array.from(matmulReference(a, b, { M: 1, N: 2, K: 2 }))).toEqual([13, 16]);
  });

  it('vec4 on aligned sizes (K and N multiples of 4, M and the tiles ragged) takes whole-vec4 loads and stores and counts the model', async () => {
    // 70 rows and 44 columns do not fill 16- or 64-wide tiles, and K = 52 leaves a partial K step.
    const dims: MatmulDims = { M: 70, N: 44, K: 52 };
    for (const c of [
      ...VEC4,
      { variant: 'register-blocked-vec4' as const, shape: { tileM: 32, tileN: 16, tileK: 4, blockM: 8, blockN: 8 } },
    ]) {
      const { out, traffic, cost, want } = await runCase(c, dims, true, 11);
      expect(relativeError(out, want), label(c)).toBeLessThan(1e-5);
      expect(traffic, label(c)).toEqual({ bytesRead: cost.bytesRead, bytesWritten: cost.bytesWritten });
      expect(cost.bytesRead).toBe(
        (70 * 52 * Math.ceil(44 / c.shape.tileN) + 52 * 44 * Math.ceil(70 / c.shape.tileM)) * 4,
      );
    }
  });

  it('vec4 refuses a caller’s buffer too short for whole vec4s, and a block or tile K that is not a multiple of 4', async () => {
    const rt = await testRuntime();
    const a = rt.device.createBuffer({ size: 37 * 41 * 4, usage: GPUBufferUsage.STORAGE });
    try {
      await expect(
        prepareMatmul(rt, 'register-blocked-vec4', RAGGED, VEC4[1].shape, { inputs: { a } }),
      ).rejects.toThrow(`buffer a has ${37 * 41 * 4} bytes, needs ${Math.ceil((37 * 41) / 4) * 16}`);
    } finally {
      a.destroy();
    }
    expect(
      shapeProblem('register-blocked-vec4', { tileM: 16, tileN: 16, tileK: 8, blockM: 4, blockN: 2 }, rt.info.limits),
    ).toMatch(/multiples of 4/);
    expect(
      shapeProblem('register-blocked-vec4', { tileM: 16, tileN: 16, tileK: 6, blockM: 4, blockN: 4 }, rt.info.limits),
    ).toMatch(/multiples of 4/);
    expect(shapeProblem('register-blocked-vec4', VEC4[0].shape, rt.info.limits)).toBeNull();
  });

  it('a kernel that miscounts would fail: counts differ between tile shapes exactly as the model says', async () => {
    const dims: MatmulDims = { M: 20, N: 12, K: 9 };
    const small = await runCase(
      { variant: 'tiled', shape: { tileM: 4, tileN: 4, tileK: 4, blockM: 1, blockN: 1 } },
      dims,
      true,
    );
    const big = await runCase(
      { variant: 'tiled', shape: { tileM: 8, tileN: 8, tileK: 4, blockM: 1, blockN: 1 } },
      dims,
      true,
    );
    // A (20×9) is read ⌈12/4⌉ = 3 times with 4-wide tiles, ⌈12/8⌉ = 2 times with 8-wide ones;
    // B (9×12) ⌈20/4⌉ = 5 and ⌈20/8⌉ = 3 times.
    expect(small.traffic.bytesRead).toBe((20 * 9 * 3 + 9 * 12 * 5) * 4);
    expect(big.traffic.bytesRead).toBe((20 * 9 * 2 + 9 * 12 * 3) * 4);
  });
});

describe('matmul cost model', () => {
  const sq: MatmulDims = { M: 64, N: 64, K: 64 };
  const t16: TileShape = { tileM: 16, tileN: 16, tileK: 16, blockM: 1, blockN: 1 };
  it('naive reads 2·M·N·K floats; tiling divides that by the tile width', () => {
    expect(matmulCost('naive', sq, t16)).toEqual({
      flops: 2 * 64 ** 3,
      bytesRead: 2 * 64 ** 3 * 4,
      bytesWritten: 64 * 64 * 4,
    });
    expect(matmulCost('tiled', sq, t16).bytesRead).toBe((64 * 64 * 4 + 64 * 64 * 4) * 4);
    expect(matmulCost('naive', sq, t16).bytesRead / matmulCost('tiled', sq, t16).bytesRead).toBe(16);
  });
  it('the tiled variant always runs one output per invocation, whatever block is asked for', () => {
    expect(matmulCost('tiled', sq, { ...t16, blockM: 4, blockN: 4 })).toEqual(matmulCost('tiled', sq, t16));
    expect(workgroupBytes('tiled', { tileM: 32, tileN: 16, tileK: 8, blockM: 1, blockN: 1 })).toBe(
      (32 * 8 + 8 * 16) * 4,
    );
    expect(workgroupBytes('naive', t16)).toBe(0);
  });
  it('sizes the workgroup arrays in the WGSL text and nothing else', () => {
    const src = specialise(matmulSource('register-blocked', { tileM: 32, tileN: 16, tileK: 8, blockM: 2, blockN: 4 }));
    expect(src.code).toContain('const A_TILE_ELEMS: u32 = 256u;');
    expect(src.code).toContain('const B_TILE_ELEMS: u32 = 128u;');
    expect(src.code).toContain('const ACC_ELEMS: u32 = 8u;');
    expect(src.constants).toMatchObject({
      TILE_M: 32,
      TILE_N: 16,
      TILE_K: 8,
      BLOCK_M: 2,
      BLOCK_N: 4,
      INSTRUMENTED: false,
    });
    const v4 = specialise(
      matmulSource('register-blocked-vec4', { tileM: 64, tileN: 64, tileK: 32, blockM: 8, blockN: 4 }),
    );
    expect(v4.code).toContain('const A_TILE_VEC4S: u32 = 512u;');
    expect(v4.code).toContain('const B_TILE_VEC4S: u32 = 512u;');
    expect(v4.code).toContain('const ACC_VEC4S: u32 = 8u;');
  });
  it('the vec4 kernel has the scalar register-blocked traffic and workgroup memory for the same shape', () => {
    const s: TileShape = { tileM: 64, tileN: 64, tileK: 32, blockM: 8, blockN: 4 };
    for (const dims of [sq, { M: 37, N: 29, K: 41 }])
      expect(matmulCost('register-blocked-vec4', dims, s)).toEqual(matmulCost('register-blocked', dims, s));
    expect(workgroupBytes('register-blocked-vec4', s)).toBe(16384);
  });
});

describe('matmul limit checks', () => {
  it('refuses a tile that needs more workgroup memory than the device has, before compiling', async () => {
    const rt = await testRuntime();
    const have = rt.info.limits.maxComputeWorkgroupStorageSize;
    // tileK grows until A and B tiles no longer fit, whatever this device's limit is.
    const tileK = have / 4 / (64 + 64) + 1;
    const need = (64 * tileK + tileK * 64) * 4;
    const pipelinesBefore = rt.pipelines.size;
    const p = prepareMatmul(
      rt,
      'register-blocked',
      { M: 64, N: 64, K: 64 },
      { tileM: 64, tileN: 64, tileK, blockM: 4, blockN: 4 },
    );
    await expect(p).rejects.toBeInstanceOf(LimitError);
    await expect(p).rejects.toThrow(`needs ${need} bytes`);
    await expect(p).rejects.toThrow(`this device has ${have}`);
    expect(rt.pipelines.size).toBe(pipelinesBefore);
  });

  it('refuses a workgroup with more invocations than the device allows', async () => {
    const rt = await testRuntime();
    const max = rt.info.limits.maxComputeInvocationsPerWorkgroup;
    const side = 2 ** Math.ceil(Math.log2(Math.sqrt(max) + 1));
    const p = prepareMatmul(
      rt,
      'tiled',
      { M: 8, N: 8, K: 8 },
      { tileM: side, tileN: side, tileK: 1, blockM: 1, blockN: 1 },
    );
    await expect(p).rejects.toBeInstanceOf(LimitError);
    await expect(p).rejects.toThrow(`needs ${side * side} invocations per workgroup, this device allows ${max}`);
    // The same output tile fits once each invocation computes a block of outputs.
    // (side/8)² blocks give 64 invocations, within every device's limit (WebGPU guarantees 256).
    expect(
      shapeProblem(
        'register-blocked',
        { tileM: side, tileN: side, tileK: 1, blockM: side / 8, blockN: side / 8 },
        rt.info.limits,
      ),
    ).toBeNull();
  });

  it('rejects non-integer and zero sizes and blocks that do not divide the tile', async () => {
    const rt = await testRuntime();
    await expect(prepareMatmul(rt, 'naive', { M: 0, N: 4, K: 4 }, CASES[0].shape)).rejects.toThrow(
      'M must be a whole number',
    );
    await expect(prepareMatmul(rt, 'naive', { M: 4, N: 2.5, K: 4 }, CASES[0].shape)).rejects.toThrow(
      'N must be a whole number',
    );
    expect(
      shapeProblem('register-blocked', { tileM: 10, tileN: 16, tileK: 4, blockM: 4, blockN: 4 }, rt.info.limits),
    ).toMatch(/not a whole number of 4×4/);
  });
});
