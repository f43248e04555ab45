import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/model/serve/evaluate';
import type { GpuRuntime } from '../../src/gpu/runtime';
import { serveReport } from '../../src/model/serve/session';
import { testRuntime } from '../helpers/gpu';

// The shipped checkpoints (public/checkpoints/, `npm run train`, see the README), as the Serve lab loads them.
const target = loadCheckpoint(readFileSync('public/checkpoints/target.gptckpt'));
const draft = loadCheckpoint(readFileSync('public/checkpoints/draft.gptckpt'));

describe('the shipped checkpoints, served', () => {
  it('are < 2 MB and trained on the same task', () => {
    for (const f of ['target', 'draft'])
      expect(readFileSync(`public/checkpoints/${f}.gptckpt`).length).toBeLessThan(2 * 1024 * 1024);
    expect(draft.task).toEqual(target.task);
    expect(draft.model.layout.total).toBeLessThan(target.model.layout.total);
  });

  it('reach their stated accuracy; quantized variants stay within their bounds of f32; greedy speculative = target greedy; a device that refuses the GPU forward falls back to the CPU path, saying why', async () => {
    // A device whose workgroup memory cannot hold the tiled attention's K/V blocks: the GPU forward
    // refuses by name before any work, and the report falls back to the float64 path, saying why.
    const rt = await testRuntime();
    const small = { ...rt, info: { ...rt.info, limits: { ...rt.info.limits, maxComputeWorkgroupStorageSize: 256 } } };
    const r = await serveReport(
      target,
      draft,
      {
        prompts: 8,
        maxBatch: 4,
        numBlocks: 12,
        blockSize: 4,
        sampling: { temperature: 0, topK: 0, seed: 1 },
        gammas: [1, 3],
        evalCount: 256,
      },
      small as unknown as GpuRuntime,
    );
    const acc = Object.fromEntries(r.quant.map((q) => [q.variant, q.accuracy]));
    // Stated in the README: the target answers ≥ 95 % of held-out 2-digit sums exactly (measured
    // 96.5 % on these 256), the 1-layer draft ≥ 70 % (measured 78.1 % at training's last evaluation,
    // 4000 steps; the 1500-step draft shipped before reached 9 %).
    expect(acc.f32).toBeGreaterThanOrEqual(0.95);
    expect(draft.trainedAccuracy).toBeGreaterThanOrEqual(0.7);
    // The draft's greedy acceptance rate against the target at γ = 3 on the 64 held-out prompts:
    // ≥ 0.8 stated in the README (measured 0.83 here, 3.16 tokens per target pass; 0.86 on 256
    // held-out prompts, where the 1500-step draft shipped before reached 0.65).
    const g3 = r.spec.find((s) => s.gamma === 3)!;
    expect(g3.alpha).toBeGreaterThanOrEqual(0.8);
    // Bounds against f32 (measured: f16 and int8 equal, int4 RTN −0.8 points, AWQ +0.4).
    expect(Math.abs(acc.f16 - acc.f32)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(acc.int8 - acc.f32)).toBeLessThanOrEqual(0.01);
    expect(acc.f32 - acc.int4).toBeLessThanOrEqual(0.03);
    expect(acc['int4-awq']).toBeGreaterThanOrEqual(acc.int4);
    // Fewer bytes with fewer bits, and f32's row changes nothing.
    const bytes = r.quant.map((q) => q.weightBytes);
    for (let i = 1; i < bytes.length - 1; i++) expect(bytes[i]).toBeLessThan(bytes[i - 1]);
    expect(r.quant[0].changed).toBe(0);
    // The CPU reference path (the GPU path of the same report is test/model/serve-gpu.test.ts's and the e2e's).
    expect(r.generation.path).toBe('cpu');
    expect(r.generation.gpuRefusal).toMatch(/workgroup memory/);
    expect(r.generation.logitError).toBeNull();
    expect(r.quant.every((q) => q.tokensPerS === null)).toBe(true);
    expect(r.specGpu).toBeNull();
    for (const s of r.spec) expect(s.greedyIdentical).toBe(true);
  });
});
