import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GpuRuntime } from '../../src/gpu/runtime';
import { loadCheckpoint } from '../../src/model/serve/evaluate';
import { gpuPath, measureGpuStepCosts, measureServeStepCosts, warmupLengths } from '../../src/model/serve/gpuStepCosts';
import { exampleText } from '../../src/model/task';
import { encode } from '../../src/model/tokenizer';
import { testRuntime } from '../helpers/gpu';

// The shipped target and a held-out-style prompt ("12+34="), as the Serve lab times them.
const target = loadCheckpoint(readFileSync('public/checkpoints/target.gptckpt'));
const prompt = encode(exampleText(target.task, 0, 0).slice(0, 2 * target.task.digits + 2));

describe('the Serve lab’s step costs on the GPU path (Dawn)', () => {
  it('are timed through engine.stepOn over the GPU forward: positive, one per batch in order, named for the adapter', async () => {
    const rt = await testRuntime();
    const costs = await measureGpuStepCosts(rt, target.model, prompt, [1, 2], { rounds: 1, reps: 1 });
    expect(costs.path).toBe(`GPU kernels on ${rt.info.name}`);
    expect(costs.path).toBe(gpuPath(rt));
    expect(costs.decodeStepMs.map((p) => p.batch)).toEqual([1, 2]);
    for (const p of costs.decodeStepMs) {
      expect(Number.isFinite(p.ms)).toBe(true);
      expect(p.ms).toBeGreaterThan(0);
    }
    expect(Number.isFinite(costs.prefillMsPerToken)).toBe(true);
    expect(costs.prefillMsPerToken).toBeGreaterThan(0);
    // 4 decode steps after the prompt (context 16): the context the last step saw.
    expect(costs.contextTokens).toBe(prompt.length + 4);
  });

  it('warms every batch size’s decode plan with one engine whose batch shrinks 8 → 4 → 2 → 1', () => {
    const lengths = warmupLengths([1, 2, 4, 8], 9);
    expect(lengths).toEqual([5, 4, 3, 3, 2, 2, 2, 2]);
    // Decode step j (after the prefill's token) runs the sequences that still want a token.
    const rows = [0, 1, 2, 3].map((j) => lengths.filter((n) => n - 1 > j).length);
    expect(rows).toEqual([8, 4, 2, 1]);
    // Too little context left: the warm-up stops early rather than overrun it.
    expect(Math.max(...warmupLengths([1, 2, 4, 8], 2))).toBe(3);
  });

  it('falls back to the float64 CPU forward when the GPU forward is refused by a named limit, and says why', async () => {
    const rt = await testRuntime();
    // The same runtime with no workgroup memory: GpuForward.create refuses before touching the device.
    const starved = {
      ...rt,
      info: { ...rt.info, limits: { ...rt.info.limits, maxComputeWorkgroupStorageSize: 0 } },
    } as unknown as GpuRuntime;
    const costs = await measureServeStepCosts(starved, target.model, prompt);
    expect(costs.path).toMatch(
      /^float64 CPU forward; the GPU path did not run: the tiled attention's K\/V blocks at d = 16 exceed this device's workgroup memory\.$/,
    );
    expect(costs.decodeStepMs.map((p) => p.batch)).toEqual([1, 2, 4, 8]);
    expect(costs.decodeStepMs.every((p) => p.ms > 0)).toBe(true);
    // No runtime at all: the CPU path, named plainly.
    expect((await measureServeStepCosts(null, target.model, prompt)).path).toBe('float64 CPU forward');
  });
});
