import type { BenchRow, BenchSuite } from '../../bench/types';
import { runSteps, type DispatchStep } from '../../gpu/dispatch';
import { timeSteps } from '../../gpu/timing';
import {
  dequantize,
  gemvReference,
  prepareGemv,
  quantize,
  uploadWeights,
  type PreparedGemv,
  type QuantVariant,
  type WeightBuffers,
} from '../../kernels/quant';
import { initParams } from '../../model/init';
import { paramLayout, view } from '../../model/layout';
import { PRESETS } from '../../model/presets';
import { INT4_GROUP } from '../../model/serve/quantized';

/**
 * The served target's decode-step matmuls (every block's QKV, output, MLP up and down
 * projections: the shape of the shipped target, the tiny preset) through the decode lab's
 * quantized GEMV/GEMM kernels, per weight format, at batch 1 and 8: tokens/s of the linear layers
 * alone (attention, LayerNorms and the head are not in it). Times do not depend on the weights'
 * values, so seeded initial weights of that shape stand in for the checkpoint (the bench runs in
 * Node without the page's fetch); each kernel's output is checked against the float64 product
 * of its dequantized weights before anything is timed.
 */
const VARIANTS: QuantVariant[] = ['f32', 'f16', 'int8', 'int4-zp'];

export const suite: BenchSuite = {
  lab: 'serve',
  title: 'Serve: the target GPT’s decode-step matmuls per weight format, batch 1 and 8',
  async *run(ctx) {
    const rt = ctx.runtime;
    const c = PRESETS.tiny.model;
    const layout = paramLayout(c);
    const params = initParams(c, 1);
    const mats = layout.blocks
      .flatMap((b) => [b.wqkv, b.wo, b.wfc, b.wproj])
      .map((t) => {
        const [K, N] = t.shape;
        const src = view(params, t);
        const w = new Float32Array(N * K);
        for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) w[n * K + k] = src[k * N + n];
        return { w, N, K };
      });
    for (const variant of VARIANTS) {
      for (const M of [1, 8]) {
        ctx.progress(`${variant}, batch ${M}`);
        const owned: { wb: WeightBuffers; k: PreparedGemv }[] = [];
        try {
          let flops = 0;
          let bytes = 0;
          for (const { w, N, K } of mats) {
            const packed = quantize(variant, w, N, K, INT4_GROUP);
            const wb = await uploadWeights(rt, packed);
            const x = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i * 0.37));
            const k = await prepareGemv(rt, wb, M, { x });
            owned.push({ wb, k });
            await runSteps(rt.device, k.steps);
            const got = await k.read();
            const want = gemvReference(x, dequantize(packed), M, N, K);
            let err = 0;
            let scale = 0;
            for (let i = 0; i < want.length; i++) {
              err = Math.max(err, Math.abs(got[i] - want[i]));
              scale = Math.max(scale, Math.abs(want[i]));
            }
            if (err > 1e-4 * scale)
              throw new Error(`${variant} ${N}×${K} M=${M}: GEMV off by ${err / scale} of its reference; not timed.`);
            flops += k.cost.flops;
            bytes += k.cost.bytesRead + k.cost.bytesWritten;
          }
          const steps: DispatchStep[] = owned.flatMap((o) => o.k.steps);
          const t = await timeSteps(rt.device, steps, { samples: ctx.software ? 5 : 9 });
          const row: BenchRow = {
            lab: 'serve',
            kernel: 'decode-step matmuls',
            variant: `${variant}${variant === 'int4-zp' ? ` g${INT4_GROUP}` : ''}`,
            impl: 'ours',
            params: { batch: M, layers: c.layers, dModel: c.dModel, matrices: mats.length },
            medianMs: t.medianMs,
            spreadMs: t.spreadMs,
            gbPerS: bytes / t.medianMs / 1e6,
            gflopPerS: flops / t.medianMs / 1e6,
            bytesMoved: bytes,
            flops,
            timing: t.timing,
            adapter: ctx.adapter,
            tokensPerS: M / (t.medianMs / 1000),
          };
          yield row;
        } finally {
          for (const o of owned) {
            o.k.dispose();
            o.wb.dispose();
          }
        }
      }
    }
  },
};
