import { cpuRow, kernelRow, type BenchRow, type BenchSuite } from '../../bench/types';
import { median } from '../../gpu/timing';
import { makeDecodeBatch, measureDecodeAttention } from '../../kernels/kvcache';
import { KvSimulator, syntheticTrace, type Allocator, type SimSummary } from '../../sim/kvcache';
import { compactTables } from './kernelPart';
import { batchCapturer } from './simPart';

const LAB = 'kv-cache';
const REQUESTS = 10_000;
const BLOCK_SIZE = 16;
/** 16 GiB of KV for a 7B fp16 model (512 KiB per token): 32 K tokens in 2,048 blocks. */
const NUM_BLOCKS = 2048;
const SIM_RUNS = 3;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The simulator on the long-tailed chat trace (10,000 requests, block size 16), once per allocator,
 * timed in Node; then the paged and contiguous decode-attention kernels on the largest decoding
 * batch of the paged run (its real block tables), checked against the CPU reference first.
 */
export const suite: BenchSuite = {
  lab: LAB,
  title: 'KV cache: paged vs contiguous (simulator waste and time; decode attention kernels)',
  async *run(ctx) {
    const trace = syntheticTrace({ kind: 'chat', requests: REQUESTS, ratePerS: 8, seed: 1 });
    const capture = batchCapturer(ctx.software ? 16 : 64);
    for (const allocator of ['paged', 'contiguous'] as Allocator[]) {
      ctx.progress(`simulating ${REQUESTS} requests, ${allocator}`);
      const times: number[] = [];
      const cpu: number[] = [];
      let summary: SimSummary | null = null;
      for (let i = 0; i < SIM_RUNS; i++) {
        const sim = new KvSimulator(trace, {
          allocator,
          blockSize: BLOCK_SIZE,
          numBlocks: NUM_BLOCKS,
          batching: 'continuous',
          preemption: 'recompute',
          systemPrompt: 0,
          n: 1,
          maxBatch: 256,
          seed: 1,
        });
        const hook = allocator === 'paged' && i === 0 ? capture.hook : undefined;
        const t0 = performance.now();
        const c0 = typeof process !== 'undefined' ? process.cpuUsage() : null;
        summary = sim.run(hook ? { onStep: hook } : {});
        times.push(performance.now() - t0);
        // CPU time beside wall time: on a shared machine the wall clock also counts other people's work.
        if (c0) cpu.push(process.cpuUsage(c0).user / 1000);
      }
      const s = summary!;
      yield cpuRow(
        {
          lab: LAB,
          kernel: 'simulator',
          variant: allocator,
          params: { requests: REQUESTS, blockSize: BLOCK_SIZE, numBlocks: NUM_BLOCKS, workload: 'chat' },
        },
        times,
        {
          cpuMs: cpu.length ? median(cpu) : null,
          wastePct: s.waste * 100,
          overReservationPct: s.overReservation * 100,
          internalFragmentationPct: s.internalFragmentation * 100,
          meanRunning: s.meanRunning,
          throughputTokPerS: s.throughputTokPerS,
          steps: s.steps,
        },
      );
    }

    const batch = capture.best();
    if (!batch) throw new Error('the paged run had no decoding batch');
    const heads = ctx.software ? 2 : 8;
    const headDim = ctx.software ? 64 : 128;
    const { tables, numBlocks, shared } = compactTables(batch.tables);
    ctx.progress(`decode attention: ${batch.seqLens.length} sequences, ${heads} heads × ${headDim}`);
    const data = makeDecodeBatch({
      seqLens: batch.seqLens,
      tables,
      numBlocks,
      numHeads: heads,
      headDim,
      blockSize: BLOCK_SIZE,
      seed: 3,
    });
    const res = await measureDecodeAttention(
      ctx.runtime,
      data,
      ctx.software ? { samples: 5, warmup: 1 } : { samples: 7 },
      3,
    );
    const params = {
      seqs: batch.seqLens.length,
      contextTokens: batch.seqLens.reduce((a, b) => a + b, 0),
      heads,
      headDim,
      blockSize: BLOCK_SIZE,
      sharedBlocks: shared,
    };
    for (const r of res) {
      if (!(r.maxError < 1e-4))
        throw new Error(`${r.layout} decode attention differs from the CPU reference by ${r.maxError}`);
      yield kernelRow(
        { lab: LAB, kernel: 'decode-attention', variant: r.layout, impl: 'ours', params },
        r.m,
        ctx.adapter,
        {
          maxError: r.maxError,
          allocatedBytes: r.allocatedBytes,
        },
      );
    }
  },
  summarize(rows: BenchRow[]) {
    const sim = (v: string) => rows.find((r) => r.kernel === 'simulator' && r.variant === v);
    const ker = (v: string) => rows.find((r) => r.kernel === 'decode-attention' && r.variant === v);
    const out: string[] = [];
    const sp = sim('paged');
    const sc = sim('contiguous');
    if (sp && sc) {
      const wp = Number(sp.wastePct) / 100;
      const wc = Number(sc.wastePct) / 100;
      out.push(
        `KV waste on the long-tailed trace, block 16: paged ${pct(wp)} (target < 4%: ${wp < 0.04 ? 'met' : 'MISSED'}) vs contiguous ${pct(wc)} (target > 50%: ${wc > 0.5 ? 'met' : 'MISSED'})`,
      );
      out.push(
        `simulator, ${REQUESTS.toLocaleString('en-US')} requests: paged ${sp.medianMs.toFixed(0)} ms, contiguous ${sc.medianMs.toFixed(0)} ms wall (target < 1000 ms: ${Math.max(sp.medianMs, sc.medianMs) < 1000 ? 'met' : 'MISSED'}); CPU time ${Number(sp.cpuMs).toFixed(0)} ms and ${Number(sc.cpuMs).toFixed(0)} ms`,
      );
      out.push(
        `mean sequences running: paged ${Number(sp.meanRunning).toFixed(1)} vs contiguous ${Number(sc.meanRunning).toFixed(1)} (${(Number(sp.meanRunning) / Number(sc.meanRunning)).toFixed(2)}x)`,
      );
    }
    const kp = ker('paged');
    const kc = ker('contiguous');
    if (kp && kc) {
      const r = kp.medianMs / kc.medianMs;
      out.push(
        `decode attention, paged time / contiguous time: ${r.toFixed(2)}x (target <= 1.5x: ${r <= 1.5 ? 'met' : 'MISSED'}) on ${kp.adapter}`,
      );
      out.push(
        `GPU memory for that batch: paged ${(Number(kp.allocatedBytes) / 2 ** 20).toFixed(1)} MiB vs contiguous ${(Number(kc.allocatedBytes) / 2 ** 20).toFixed(1)} MiB`,
      );
    }
    return out;
  },
};
