import {
  ATTENTION_TOLERANCE,
  attentionReference,
  createAttentionInputs,
  FLASH_F16_NOT_OFFERED,
  FLASH_ROWS,
  prepareFlash,
  prepareTextbook,
  prepareThreeSweep,
  type AttentionInputs,
  type AttentionShape,
  type FlashTile,
  type PreparedAttention,
} from '../../kernels/attention';
import { compareOutputs } from '../../kernels/check';
import { F16_ARITH_TOLERANCE, halfRound } from '../../kernels/quant';
import { seededFloats } from '../../kernels/random';
import type { GpuRuntime } from '../../gpu/runtime';
import type { PreparedCase, SelfTestCase } from '../types';
import { guarded } from './outputs';

/**
 * Causal, N ragged against 16-row tiles and 32-wide standard tiles, two heads, d = 32 (the
 * smallest head dimension: lavapipe's first dispatch of the tiled kernel grows to minutes with the
 * tile and d, issue 28, and the self-test checks correctness, not the largest tile).
 */
export const ATTENTION_SHAPE: AttentionShape = { bh: 2, n: 37, d: 32, causal: true };
/** The smallest tile the kernel takes (Bc one key step of 16), at each rows-per-invocation. */
const flashTile = (rows: FlashTile['rows']): FlashTile => ({ br: 16, bc: 16, rows });

function data(s: AttentionShape) {
  const len = s.bh * s.n * s.d;
  return { q: seededFloats(len, 11, -2, 2), k: seededFloats(len, 12, -2, 2), v: seededFloats(len, 13) };
}

const shapeText = (s: AttentionShape) => `bh=${s.bh} N=${s.n} d=${s.d}${s.causal ? ' causal' : ''}`;

type Path = (
  rt: GpuRuntime,
  inp: AttentionInputs,
) => Promise<PreparedAttention & { readLse?(): Promise<Float32Array> }>;

function attentionCase(variant: string, extra: string, path: Path, storage: 'f32' | 'f16' = 'f32'): SelfTestCase {
  const s = ATTENTION_SHAPE;
  return {
    ...(storage === 'f16' ? { needs: [{ feature: 'shader-f16', reason: FLASH_F16_NOT_OFFERED }] } : {}),
    family: 'attention',
    variant,
    shape: `${shapeText(s)}${extra}`,
    tolerance: (f) => (f.has('shader-f16') ? F16_ARITH_TOLERANCE : ATTENTION_TOLERANCE),
    async prepare(rt): Promise<PreparedCase> {
      const d = data(s);
      const inp = await createAttentionInputs(rt, s, d.q, d.k, d.v, { storage });
      const k = await guarded(
        () => inp.dispose(),
        () => path(rt, inp),
      );
      return {
        steps: k.steps,
        async outputs(f) {
          // An f16 build sees Q, K, V rounded to f16: compare it with the reference of those values.
          const r = f.has('shader-f16')
            ? attentionReference(
                s,
                Float32Array.from(d.q, halfRound),
                Float32Array.from(d.k, halfRound),
                Float32Array.from(d.v, halfRound),
              )
            : attentionReference(s, d.q, d.k, d.v);
          const out = [{ name: 'O', check: compareOutputs(await k.read(), r.out) }];
          if (k.readLse) out.push({ name: 'lse', check: compareOutputs(await k.readLse(), r.lse) });
          return out;
        },
        dispose: () => {
          k.dispose();
          inp.dispose();
        },
      };
    },
  };
}

/**
 * The tiled (FlashAttention) kernel at each rows-per-invocation it offers (FLASH_ROWS), the
 * f16-storage build (where shader-f16), the textbook standard path and the three-sweep rung, all
 * against float64.
 */
export function attentionCases(): SelfTestCase[] {
  return [
    ...FLASH_ROWS.map((rows) => {
      const t = flashTile(rows);
      return attentionCase(
        `tiled, ${rows} row${rows > 1 ? 's' : ''} per invocation`,
        `, Br=${t.br} Bc=${t.bc}`,
        (rt, inp) => prepareFlash(rt, inp, t),
      );
    }),
    attentionCase(
      'tiled, f16 storage, 2 rows per invocation',
      `, Br=16 Bc=16`,
      (rt, inp) => prepareFlash(rt, inp, flashTile(2)),
      'f16',
    ),
    attentionCase('textbook (standard)', '', (rt, inp) => prepareTextbook(rt, inp)),
    attentionCase('three-sweep softmax', '', (rt, inp) => prepareThreeSweep(rt, inp)),
  ];
}
