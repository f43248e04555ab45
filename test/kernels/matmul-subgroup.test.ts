import { describe, expect, it } from 'vitest';
import splitKWgsl from '../../shaders/matmul/splitk_subgroup.wgsl?raw';
import { runSteps } from '../../src/gpu/dispatch';
import { LimitError } from '../../src/gpu/errors';
import { fixedTripLoops } from '../../src/kernels/loops';
import {
  MATMUL_SUBGROUP_TOLERANCE,
  matmulCost,
  matmulFeatureBuild,
  matmulFeatureOffers,
  matmulReference,
  prepareMatmul,
  relativeError,
  splitKShapeProblem,
  type MatmulDims,
  type TileShape,
} from '../../src/kernels/matmul';
import { randomFloats, testRuntime } from '../helpers/gpu';

const rt = await testRuntime();
const hasSubgroups = rt.info.features.includes('subgroups');
const widths = rt.info.subgroupSizes
  ? `, subgroups ${rt.info.subgroupSizes.min}–${rt.info.subgroupSizes.max} wide`
  : '';
const noSubgroups = `skipped: ${rt.info.name} has no subgroups`;
const SG = matmulFeatureBuild('subgroup');

const tile = (m: number, n: number, wg: number): TileShape => ({ tileM: m, tileN: n, tileK: wg, blockM: m, blockN: n });
// Ragged against every tile below, a long K with few outputs (the shape split-K is for), and Kᵀ.
const DIMS: MatmulDims[] = [
  { M: 37, N: 29, K: 41 },
  { M: 3, N: 7, K: 1000 },
  { M: 5, N: 11, K: 203, transposeB: true },
];
// The default shape on every dims; then a workgroup of 1 (one subgroup of one lane), 96 invocations
// (not a multiple of 64 or 128: a last subgroup partly empty on wide hardware) and a 4×4 block
// (16 partials per invocation), one dims each to keep the file's run short.
const CASES: [TileShape, MatmulDims][] = [
  ...DIMS.map((d): [TileShape, MatmulDims] => [SG.shape, d]),
  [tile(1, 1, 1), DIMS[0]],
  [tile(3, 5, 96), DIMS[2]],
  [tile(4, 4, 128), DIMS[1]],
];

describe('split-K subgroup matmul (subgroupAdd, then across subgroups through workgroup memory)', () => {
  it('has only run-time loop bounds, so a lazily compiling driver has nothing to unroll', () => {
    expect(fixedTripLoops(splitKWgsl)).toEqual([]);
  });

  it('is offered exactly where the adapter has subgroups, with a reason where not', () => {
    const offer = matmulFeatureOffers(rt.info.features).find((o) => o.build.build === 'subgroup')!;
    expect(offer.offered).toBe(hasSubgroups);
    if (!offer.offered) expect(offer.reason).toMatch(/no subgroups/);
  });

  it('refuses shapes it cannot run, in numbers, before compiling', async () => {
    const limits = rt.info.limits;
    expect(splitKShapeProblem(SG.shape, limits)).toBeNull();
    expect(splitKShapeProblem({ ...SG.shape, blockN: 1 }, limits)).toMatch(/block must equal the tile/);
    expect(splitKShapeProblem(tile(8, 8, 64), limits)).toMatch(/64 partial sums per invocation/);
    expect(splitKShapeProblem(tile(4, 4, 8), limits)).toMatch(/8 invocations cannot each finish one of the block's 16/);
    const tooWide = limits.maxComputeInvocationsPerWorkgroup + 1;
    expect(splitKShapeProblem(tile(1, 1, tooWide), limits)).toMatch(new RegExp(`${tooWide} invocations per workgroup`));
    // 4×8 outputs × 128 invocations of f32 slots plus the counter: 16 KiB + 4 bytes.
    expect(splitKShapeProblem(tile(4, 8, 128), { ...limits, maxComputeWorkgroupStorageSize: 16384 })).toMatch(
      /need 16388 bytes of workgroup memory, this device has 16384/,
    );
    const before = rt.pipelines.size;
    await expect(prepareMatmul(rt, 'register-blocked', DIMS[0], tile(8, 8, 64), { build: 'subgroup' })).rejects.toThrow(
      LimitError,
    );
    await expect(prepareMatmul(rt, 'tiled', DIMS[0], SG.shape, { build: 'subgroup' })).rejects.toThrow(
      /exists only for register-blocked/,
    );
    if (!hasSubgroups)
      await expect(prepareMatmul(rt, 'register-blocked', DIMS[0], SG.shape, { build: 'subgroup' })).rejects.toThrow(
        LimitError,
      );
    expect(rt.pipelines.size).toBe(before);
  });

  for (const [shape, dims] of CASES) {
    const name = `${dims.M}×${dims.N}×${dims.K}${dims.transposeB ? ' Bᵀ' : ''}, ${shape.tileM}×${shape.tileN} outputs × ${shape.tileK} invocations`;
    it.skipIf(!hasSubgroups)(
      `${name}: matches float64 and counts exactly the register-blocked cost${hasSubgroups ? widths : ` (${noSubgroups})`}`,
      async () => {
        const a = randomFloats(dims.M * dims.K, 3);
        const b = randomFloats(dims.K * dims.N, 4);
        const k = await prepareMatmul(rt, 'register-blocked', dims, shape, {
          build: 'subgroup',
          instrumented: true,
          inputs: { a, b },
        });
        try {
          await runSteps(rt.device, k.steps);
          expect(relativeError(await k.read(), matmulReference(a, b, dims))).toBeLessThan(MATMUL_SUBGROUP_TOLERANCE);
          const cost = matmulCost('register-blocked', dims, shape);
          expect(k.cost).toEqual(cost);
          expect(await k.counters.read()).toEqual({ bytesRead: cost.bytesRead, bytesWritten: cost.bytesWritten });
        } finally {
          k.dispose();
        }
      },
      120_000,
    );
  }
});
