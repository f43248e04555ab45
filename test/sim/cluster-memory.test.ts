import { describe, expect, it } from 'vitest';
import {
  MODEL_PRESETS,
  activationBytesPerLayer,
  deepspeedZero3Estimate,
  inFlightMicroBatches,
  memoryPerGpu,
  paramCount,
  pipelineSchedule,
  zeroModelStates,
  type ParallelConfig,
} from '../../src/sim/cluster';

const GB = 1e9;
const GiB = 2 ** 30;

describe('ZeRO model states (Rajbhandari et al. 2020)', () => {
  // ZeRO paper, Figure 1 and §5: "7.5B parameters, K = 12, N_d = 64": 120 GB per GPU for the
  // baseline, 31.4 GB with P_os (stage 1), 16.6 GB with P_os+g (stage 2), 1.9 GB with P_os+g+p (stage 3).
  const psi = 7.5e9;
  const total = (s: ReturnType<typeof zeroModelStates>) => (s.params + s.grads + s.optimizer) / GB;
  it('reproduces the paper’s 7.5B example at N_d = 64', () => {
    expect(total(zeroModelStates(psi, 64, 'ddp', 'bf16'))).toBe(120);
    expect(total(zeroModelStates(psi, 64, 'zero1', 'bf16')).toFixed(1)).toBe('31.4');
    expect(total(zeroModelStates(psi, 64, 'zero2', 'bf16')).toFixed(1)).toBe('16.6');
    expect(total(zeroModelStates(psi, 64, 'zero3', 'bf16')).toFixed(1)).toBe('1.9');
    // The exact values behind the rounding: 4Ψ + 12Ψ/64, 2Ψ + 14Ψ/64, 16Ψ/64.
    expect(total(zeroModelStates(psi, 64, 'zero1', 'bf16'))).toBeCloseTo(31.40625, 10);
    expect(total(zeroModelStates(psi, 64, 'zero2', 'bf16'))).toBeCloseTo(16.640625, 10);
    expect(total(zeroModelStates(psi, 64, 'zero3', 'bf16'))).toBeCloseTo(1.875, 10);
  });

  it('shards by the data-parallel degree, not the GPU count, when TP and PP are used', () => {
    // 64 GPUs as t = 8 × p = 2 × N_d = 4: each GPU holds Ψ/16 and ZeRO-3 divides that by 4, not 64.
    const model = { layers: 32, hidden: 4096, heads: 32, vocab: 50257, seq: 2048 };
    const c: ParallelConfig = {
      gpus: 64,
      tp: 8,
      pp: 2,
      sp: false,
      microBatch: 1,
      microBatches: 2,
      strategy: 'zero3',
      recompute: 'full',
      precision: 'bf16',
      offload: 'none',
      schedule: '1f1b',
      chunks: 1,
    };
    const m = memoryPerGpu(model, c);
    expect(m.dataParallel).toBe(4);
    expect(m.params + m.grads + m.optimizer).toBeCloseTo((16 * paramCount(model)) / (8 * 2 * 4), 3);
  });

  it('counts fp32 training as 4 + 4 + 8 bytes per parameter', () => {
    const s = zeroModelStates(1e9, 1, 'ddp', 'fp32');
    expect(s.params + s.grads + s.optimizer).toBe(16e9);
  });
});

describe('DeepSpeed estimate_zero3_model_states_mem_needs', () => {
  // Parameter counts from the architectures (T5Model, i.e. AutoModel without the LM head):
  // per layer q,k,v,o = 4·d·d_inner, relative position bias 32 buckets × heads in the first layer of
  // each stack, one LayerNorm weight per sublayer and per stack end, a shared d·32128 embedding.
  function t5Params(
    d: number,
    dFf: number,
    layers: number,
    heads: number,
    gated: boolean,
  ): { total: number; largest: number } {
    const attn = 4 * d * d;
    const ff = (gated ? 3 : 2) * d * dFf;
    const enc = layers * (attn + ff + 2 * d) + d + 32 * heads;
    const dec = layers * (2 * attn + ff + 3 * d) + d + 32 * heads;
    const emb = 32128 * d;
    return { total: enc + dec + emb, largest: emb };
  }
  const gb = (bytes: number) => (bytes / GiB).toFixed(2);
  const rows = (total: number, largest: number) =>
    [
      { offloadParams: true, offloadOptimizer: true, zeroInit: true },
      { offloadParams: true, offloadOptimizer: true, zeroInit: false },
      { offloadParams: false, offloadOptimizer: true, zeroInit: true },
      { offloadParams: false, offloadOptimizer: true, zeroInit: false },
      { offloadParams: false, offloadOptimizer: false, zeroInit: true },
      { offloadParams: false, offloadOptimizer: false, zeroInit: false },
    ].map((o) => {
      const e = deepspeedZero3Estimate(total, largest, { gpusPerNode: 1, nodes: 1, ...o });
      return `${gb(e.cpuBytes)} | ${gb(e.gpuBytes)}`;
    });

  it('reproduces the table printed for bigscience/T0_3B (Hugging Face Transformers docs, DeepSpeed page)', () => {
    // T0_3B is T5 v1.1 XL: d 2048, d_ff 5120 gated-GELU, 24 + 24 layers, 32 heads. The docs print
    // "Model with 2783M total params, 65M largest layer params" and this table (1 node, 1 GPU).
    const { total, largest } = t5Params(2048, 5120, 24, 32, true);
    expect(total).toBe(2_783_959_040);
    expect(Math.trunc(total / 1e6)).toBe(2783);
    expect(Math.trunc(largest / 1e6)).toBe(65);
    expect(rows(total, largest)).toEqual([
      '70.00 | 0.25',
      '70.00 | 0.25',
      '62.23 | 5.43',
      '62.23 | 5.43',
      '0.37 | 46.91',
      '15.56 | 46.91',
    ]);
  });

  it('reproduces the table printed for t5-small (estimate_zero3_model_states_mem_needs_all_live output)', () => {
    // Output as printed in a published run (blog.csdn.net/u012327567/article/details/132278598):
    // "60M total params, 16M largest layer params"; t5-small: d 512, d_ff 2048 ReLU, 6 + 6 layers, 8 heads.
    const { total, largest } = t5Params(512, 2048, 6, 8, false);
    expect(total).toBe(60_506_624);
    expect(rows(total, largest)).toEqual([
      '1.52 | 0.06',
      '1.52 | 0.06',
      '1.35 | 0.17',
      '1.35 | 0.17',
      '0.09 | 1.08',
      '0.34 | 1.08',
    ]);
  });
});

describe('activations (Korthikanti et al. 2022)', () => {
  // GPT-3 175B from the paper's Table 3: a = 96, h = 12288, s = 2048, t = 8.
  const gpt3 = { seq: 2048, hidden: 12288, heads: 96, microBatch: 1 };
  const sbh = 2048 * 12288;
  it('follows Table 2 term by term', () => {
    expect(activationBytesPerLayer({ ...gpt3, tp: 1, sp: false, recompute: 'none' })).toBe(
      sbh * (34 + (5 * 96 * 2048) / 12288),
    );
    expect(activationBytesPerLayer({ ...gpt3, tp: 8, sp: false, recompute: 'none' })).toBe(
      sbh * (10 + 24 / 8 + (5 * 96 * 2048) / (12288 * 8)),
    );
    expect(activationBytesPerLayer({ ...gpt3, tp: 8, sp: true, recompute: 'none' })).toBe((sbh / 8) * (34 + 80));
    expect(activationBytesPerLayer({ ...gpt3, tp: 8, sp: true, recompute: 'selective' })).toBe((sbh * 34) / 8);
    expect(activationBytesPerLayer({ ...gpt3, tp: 8, sp: false, recompute: 'selective' })).toBe(sbh * (10 + 24 / 8));
    expect(activationBytesPerLayer({ ...gpt3, tp: 1, sp: false, recompute: 'full' })).toBe(2 * sbh);
  });

  it('gives the paper’s selective-recompute savings: 70 % for GPT-3, 65 % for MT-NLG', () => {
    // §5 of the paper: 5as/h = 80 for GPT-3 and 64 for MT-NLG (a = 128, h = 20480), so dropping it
    // saves 80/114 and 64/98 of the activation memory with sequence parallelism.
    const saving = (x: typeof gpt3) =>
      1 -
      activationBytesPerLayer({ ...x, tp: 8, sp: true, recompute: 'selective' }) /
        activationBytesPerLayer({ ...x, tp: 8, sp: true, recompute: 'none' });
    expect(Math.round(saving(gpt3) * 100)).toBe(70);
    expect(Math.round(saving({ seq: 2048, hidden: 20480, heads: 128, microBatch: 1 }) * 100)).toBe(65);
  });

  it('holds as many micro-batches per stage as the schedule’s events show', () => {
    for (const [p, m] of [
      [4, 8],
      [8, 16],
      [4, 2],
    ]) {
      for (const schedule of ['gpipe', '1f1b'] as const) {
        const peak = pipelineSchedule({ stages: p, microbatches: m, schedule }).peakInFlight[0];
        expect(inFlightMicroBatches({ pp: p, microBatches: m, schedule, chunks: 1 })).toBe(peak);
      }
      if (m % p === 0) {
        // Interleaved: (1 + (p−1)/(p·v)) × p stage-activations = p·v + p − 1 chunk-activations.
        const v = 2;
        const peak = pipelineSchedule({ stages: p, microbatches: m, schedule: 'interleaved', chunks: v })
          .peakInFlight[0];
        expect(inFlightMicroBatches({ pp: p, microBatches: m, schedule: 'interleaved', chunks: v }) * v).toBeCloseTo(
          peak,
          10,
        );
      }
    }
  });
});

describe('model presets', () => {
  it('count parameters with 12·L·h² + 13·L·h + V·h + 2h (+ GPT-3’s 2,048 learned positions), a custom shape without them', () => {
    const gpt3 = MODEL_PRESETS.find((m) => m.id === 'gpt3-175b')!;
    expect(paramCount(gpt3)).toBe(12 * 96 * 12288 ** 2 + 13 * 96 * 12288 + 50257 * 12288 + 2 * 12288 + 2048 * 12288);
    const custom = { layers: 96, hidden: 12288, heads: 96, vocab: 50257, seq: 2048 };
    expect(paramCount(custom)).toBe(12 * 96 * 12288 ** 2 + 13 * 96 * 12288 + 50257 * 12288 + 2 * 12288);
    // GPT-3's published 175B (Brown et al. 2020) within 0.5 %.
    expect(Math.abs(paramCount(gpt3) / 175e9 - 1)).toBeLessThan(0.005);
    for (const m of MODEL_PRESETS) expect(m.hidden % m.heads).toBe(0);
  });

  it('moves offloaded states to the CPU and adds ZeRO-3 gather buffers', () => {
    const model = MODEL_PRESETS.find((m) => m.id === 'gpt3-6.7b')!;
    const c: ParallelConfig = {
      gpus: 8,
      tp: 1,
      pp: 1,
      sp: false,
      microBatch: 1,
      microBatches: 1,
      strategy: 'zero3',
      recompute: 'full',
      precision: 'bf16',
      offload: 'none',
      schedule: '1f1b',
      chunks: 1,
    };
    const on = memoryPerGpu(model, c);
    const off = memoryPerGpu(model, { ...c, offload: 'params' });
    expect(off.params + off.grads + off.optimizer).toBe(0);
    expect(off.cpu).toBeCloseTo(on.params + on.grads + on.optimizer, 0);
    expect(on.buffers).toBe(2 * (12 * 4096 ** 2 + 13 * 4096) * 2);
  });
});
