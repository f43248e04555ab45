import { compareOutputs } from '../../kernels/check';
import {
  decodeAttentionReference,
  KV_TOLERANCE,
  makeDecodeBatch,
  prepareDecodeAttention,
  type KvLayout,
} from '../../kernels/kvcache';
import {
  activations,
  channelGains,
  dequantize,
  FEATURE_BUILDS,
  featureReferenceInput,
  gemvReference,
  kMultiple,
  layerWeights,
  prepareGemv,
  QUANT_VARIANTS,
  quantize,
  uploadWeights,
  type GemvBuild,
  type QuantVariant,
} from '../../kernels/quant';
import type { PreparedCase, SelfTestCase } from '../types';
import { guarded } from './outputs';

/** Every KV layout the decode kernel reads: a Record over KvLayout, so a layout added to the kernel and not here fails the type check. */
const KV_LAYOUTS: Record<KvLayout, string> = { paged: 'paged KV attention', contiguous: 'contiguous KV attention' };

/** Sequences ending mid-block, one shorter than a block, scattered blocks (as test/kernels/kvcache.test.ts). */
const KV_BATCH = { seqLens: [37, 5, 20], numHeads: 2, headDim: 32, blockSize: 16, seed: 4 };

function kvCases(): SelfTestCase[] {
  return (Object.entries(KV_LAYOUTS) as [KvLayout, string][]).map(([layout, variant]) => ({
    family: 'decode',
    variant,
    shape: `seqs ${KV_BATCH.seqLens.join('/')}, ${KV_BATCH.numHeads} heads, d=${KV_BATCH.headDim}, block ${KV_BATCH.blockSize}`,
    tolerance: () => KV_TOLERANCE,
    async prepare(rt): Promise<PreparedCase> {
      const batch = makeDecodeBatch(KV_BATCH);
      const k = await prepareDecodeAttention(rt, batch, layout);
      return {
        steps: k.steps,
        outputs: async () => [{ name: 'out', check: compareOutputs(await k.read(), decodeAttentionReference(batch)) }],
        dispose: () => k.dispose(),
      };
    },
  }));
}

/**
 * The decode lab's kernel tolerance (src/labs/decode/run.ts KERNEL_TOLERANCE): each format's kernel
 * against the float64 product of the same dequantized weights, so only summation order differs.
 */
const GEMV_TOLERANCE = 1e-4;
/** Three rows (a small GEMM with a ragged 4-row tile), 37 channels (ragged against 4 per workgroup). */
const GEMV_M = 3;
const GEMV_N = 37;
const GEMV_GROUP = 32;

function gemvCase(
  weights: QuantVariant,
  build: GemvBuild,
  variant: string,
  tolerance: number,
): Omit<SelfTestCase, 'needs'> {
  // K: the smallest multiple of every format's unit above 128, so each format runs the same problem.
  const K = Math.max(256, kMultiple(weights, GEMV_GROUP));
  return {
    family: 'decode',
    variant,
    shape: `M=${GEMV_M} N=${GEMV_N} K=${K}${weights.startsWith('int4') ? `, group ${GEMV_GROUP}` : ''}`,
    tolerance: () => tolerance,
    async prepare(rt): Promise<PreparedCase> {
      const w = layerWeights(GEMV_N, K, 3);
      const x = activations(GEMV_M, K, channelGains(K), 4);
      const packed = quantize(weights, w, GEMV_N, K, GEMV_GROUP);
      const wb = await uploadWeights(rt, packed);
      const k = await guarded(
        () => wb.dispose(),
        () => prepareGemv(rt, wb, GEMV_M, { x, build }),
      );
      return {
        steps: k.steps,
        outputs: async () => [
          {
            name: 'y',
            check: compareOutputs(
              await k.read(),
              gemvReference(featureReferenceInput(build, x), dequantize(packed), GEMV_M, GEMV_N, K),
            ),
          },
        ],
        dispose: () => {
          k.dispose();
          wb.dispose();
        },
      };
    },
  };
}

/** Paged and contiguous decode attention, every weight format's GEMV (QUANT_VARIANTS) and every feature build (FEATURE_BUILDS). */
export function decodeCases(): SelfTestCase[] {
  return [
    ...kvCases(),
    ...QUANT_VARIANTS.map((v) => gemvCase(v, 'standard', `GEMV ${v}`, GEMV_TOLERANCE)),
    ...FEATURE_BUILDS.map((fb) => ({
      ...gemvCase(fb.weights, fb.build, `GEMV ${fb.short}`, fb.tolerance),
      needs: [{ feature: fb.feature, reason: fb.notOffered }],
    })),
  ];
}
