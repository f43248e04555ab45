import type { GpuRuntime } from '../../gpu/runtime';
import type { ServeModel } from './cachedForward';
import { GpuForward } from './gpuForward';
import { quantizeModel } from './quantized';
import { CPU_STEPPER, measureStepCosts, STEP_COST_BATCHES, STEP_COST_BLOCK, type StepCosts } from './stepCosts';

/**
 * The step costs on the path generation actually runs: engine.stepOn over a GpuForward of the f32
 * model (the playground's kernels), so the serving lab simulates this GPU, not this CPU.
 *
 * Fewer timed engines than the CPU path's 3 rounds × 8: a GPU step is a submission plus a logits
 * read-back, ≥ ~0.3 ms on a real GPU (3 ticks of a browser's 0.1 ms clamped timer) and tens of ms
 * on SwiftShader, where each engine at batch b also prefills b prompts (~70 ms each). One engine
 * per batch per round, each decode figure the mean of its 4 steps (the timer's tick ≤ ~8 % of it
 * on a real GPU, nothing on SwiftShader), and the least of 2 rounds: the first round also builds
 * the forward's pipelines for each row count (compiled on first use), so the least is the second's
 * steady state. On SwiftShader this adds ~4 s to the Serve lab's run, where 3 × 8 would add ~40 s.
 */
export const GPU_STEP_COST_ROUNDS = 2;
export const GPU_STEP_COST_REPS = 1;

export const gpuPath = (rt: GpuRuntime) => `GPU kernels on ${rt.info.name}`;

export async function measureGpuStepCosts(
  rt: GpuRuntime,
  model: ServeModel,
  prompt: number[],
  batches: readonly number[] = STEP_COST_BATCHES,
  rounds = GPU_STEP_COST_ROUNDS,
  reps = GPU_STEP_COST_REPS,
): Promise<StepCosts> {
  // One forward for every batch size and engine: pools for the largest batch (a smaller engine's
  // block ids index the first of them; a new engine's prefill overwrites what it reads), and its
  // kernels compiled once per row count, not per engine.
  const fw = await GpuForward.create(rt, quantizeModel(model, 'f32'), {
    blockSize: STEP_COST_BLOCK,
    numBlocks: Math.max(...batches) * Math.ceil(model.config.context / STEP_COST_BLOCK),
  });
  try {
    return await measureStepCosts(
      model,
      prompt,
      batches,
      rounds,
      { step: (e) => e.stepOn(fw), path: gpuPath(rt) },
      reps,
    );
  } finally {
    await fw.dispose();
  }
}

/**
 * The Serve lab's step costs: on the GPU path where the page has a runtime, else (no WebGPU, or the
 * GPU forward refused: a named limit, a lost device) on the float64 CPU forward, with the reason
 * in the path so the serving lab's source line says what ran and why.
 */
export async function measureServeStepCosts(
  rt: GpuRuntime | null,
  model: ServeModel,
  prompt: number[],
): Promise<StepCosts> {
  if (rt) {
    try {
      return await measureGpuStepCosts(rt, model, prompt);
    } catch (e) {
      if (!(e instanceof Error) || e.name === 'AbortError') throw e;
      const cpu = await measureStepCosts(model, prompt);
      return { ...cpu, path: `${CPU_STEPPER.path}; the GPU path did not run: ${e.message}` };
    }
  }
  return measureStepCosts(model, prompt);
}
