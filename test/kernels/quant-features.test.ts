import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import {
  activations,
  channelGains,
  dequantize,
  FEATURE_BUILDS,
  featureOffers,
  featureReferenceInput,
  gemvCost,
  gemvReference,
  layerWeights,
  prepareGemv,
  quantize,
  uploadWeights,
  type FeatureBuild,
  type GemvShape,
} from '../../src/kernels/quant';
import { compareOutputs } from '../../src/kernels/check';
import { testRuntime } from '../helpers/gpu';

// Each optional-feature build runs where the test adapter (Dawn; SwiftShader here) reports its
// feature, and is held to its reference and to the cost model's exact bytes. Where the adapter
// lacks the feature, the same test checks the other half of the contract: the build is not
// offered, the reason is the stated one, and prepareGemv refuses it with that reason (never a
// silent skip). SwiftShader reports subgroups (size 4) and not shader-f16.

async function runBuild(fb: FeatureBuild, M: number, N: number, K: number, shape?: GemvShape) {
  const rt = await testRuntime();
  const w = layerWeights(N, K, 5);
  const x = activations(M, K, channelGains(K), 6);
  const packed = quantize(fb.weights, w, N, K, 32);
  const wb = await uploadWeights(rt, packed);
  const k = await prepareGemv(rt, wb, M, { x, shape, instrumented: true, build: fb.build });
  try {
    await runSteps(rt.device, k.steps);
    const got = await k.read();
    const want = gemvReference(featureReferenceInput(fb.build, x), dequantize(packed), M, N, K);
    return { got, want, traffic: await k.counters.read(), cost: gemvCost(fb.weights, { M, N, K }, null, k.shape) };
  } finally {
    k.dispose();
    wb.dispose();
  }
}

describe('GEMV builds that need an optional WebGPU feature', () => {
  for (const fb of FEATURE_BUILDS) {
    describe(`${fb.label} (needs ${fb.feature})`, () => {
      it("runs, matches its reference and moves the cost model's bytes where the adapter has the feature; otherwise says why it is not offered", async () => {
        const rt = await testRuntime();
        const offer = featureOffers(rt.info.features).find((o) => o.build.build === fb.build)!;
        expect(offer.offered).toBe(rt.info.features.includes(fb.feature));
        if (!offer.offered) {
          expect(offer.reason).toBe(fb.notOffered);
          expect(offer.reason).toContain(fb.feature);
          const packed = quantize(fb.weights, layerWeights(8, 256, 1), 8, 256, 32);
          const wb = await uploadWeights(rt, packed);
          try {
            await expect(prepareGemv(rt, wb, 1, { build: fb.build })).rejects.toThrow(fb.notOffered);
          } finally {
            wb.dispose();
          }
          return;
        }
        // Ragged N and M tiles, several workgroup sizes (one subgroup or several per workgroup,
        // whatever the adapter's subgroup size), GEMV and small GEMM.
        const cases: [number, number, number, GemvShape | undefined][] = [
          [1, 37, 512, undefined],
          [3, 20, 256, { wg: 16, rows: 4, mTile: 4 }],
          [5, 9, 1024, { wg: 128, rows: 2, mTile: 2 }],
          [1, 64, 256, { wg: 4, rows: 4, mTile: 1 }],
        ];
        for (const [M, N, K, shape] of cases) {
          const r = await runBuild(fb, M, N, K, shape);
          const check = compareOutputs(r.got, r.want);
          expect(check.error, `${fb.build} M=${M} N=${N} K=${K}`).toBeLessThan(fb.tolerance);
          expect(r.traffic).toEqual({ bytesRead: r.cost.bytesRead, bytesWritten: r.cost.bytesWritten });
        }
      });
    });
  }

  it('offers every build on an adapter with both features and none, with the stated reasons, on one without', () => {
    expect(featureOffers(['shader-f16', 'subgroups', 'timestamp-query']).every((o) => o.offered)).toBe(true);
    const none = featureOffers(['timestamp-query']);
    expect(none.map((o) => (o.offered ? null : o.reason))).toEqual([
      'this adapter reports no subgroups, so the subgroup-reduction variant is not offered',
      'this adapter has no shader-f16 (SwiftShader does not), so the f16 variant is not offered',
    ]);
  });

  it('refuses a build on the wrong weight format', async () => {
    const rt = await testRuntime();
    const packed = quantize('int8', layerWeights(8, 256, 1), 8, 256, 32);
    const wb = await uploadWeights(rt, packed);
    try {
      await expect(prepareGemv(rt, wb, 1, { build: 'subgroup' })).rejects.toThrow(/runs on f32 weights/);
    } finally {
      wb.dispose();
    }
  });
});
