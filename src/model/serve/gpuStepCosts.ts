import type { GpuRuntime } from '../../gpu/runtime';
import type { ServeModel } from './cachedForward';
import { ServeEngine } from './engine';
import { GpuForward } from './gpuForward';
import { quantizeModel } from './quantized';
import { GREEDY } from './sampling';
import { CPU_STEPPER, measureStepCosts, STEP_COST_BATCHES, STEP_COST_BLOCK, type StepCosts } from './stepCosts';

/**
 * The step costs on the path generation actually runs: engine.stepOn over a GpuForward of the f32
 * model (the playground's kernels), so the serving lab simulates this GPU, not this CPU.
 *
 * How many engines are timed depends on the adapter. A GPU step is a submission plus a logits
 * read-back: ≥ ~0.3 ms on a hardware GPU (3 ticks of a browser's 0.1 ms clamped timer), so there
 * 3 rounds × 4 engines (each decode figure the mean of 16 steps, the tick ≤ ~2 % of it) cost well
 * under a second. On a software adapter (SwiftShader) a decode step takes tens of ms and each
 * engine at batch b also prefills b prompts (~70 ms each), so one round of one engine per batch
 * (~2 s; the timer's tick is nothing there) keeps the Serve lab's run from growing by more than a
 * few seconds, where the CPU path's 3 × 8 would add ~40 s.
 */
export const gpuStepCostRounds = (rt: GpuRuntime) =>
  rt.info.software ? { rounds: 1, reps: 1 } : { rounds: 3, reps: 4 };

export const gpuPath = (rt: GpuRuntime) => `GPU kernels on ${rt.info.name}`;

/**
 * maxNew per sequence of a warm-up engine of max(batches) sequences whose decode steps run every
 * batch size once, largest first: sequence i lives one decode step per batch size above i.
 */
export function warmupLengths(batches: readonly number[], room: number): number[] {
  const most = Math.max(...batches);
  return Array.from({ length: most }, (_, i) => 1 + Math.min(room, batches.filter((b) => i < b).length));
}

export async function measureGpuStepCosts(
  rt: GpuRuntime,
  model: ServeModel,
  prompt: number[],
  batches: readonly number[] = STEP_COST_BATCHES,
  { rounds, reps } = gpuStepCostRounds(rt),
): Promise<StepCosts> {
  const perSeq = Math.ceil(model.config.context / STEP_COST_BLOCK);
  const most = Math.max(...batches);
  // One forward for every batch size and engine: pools for the largest batch (a smaller engine's
  // block ids index the first of them; a new engine's prefill overwrites what it reads), and its
  // kernels compiled once per row count, not per engine.
  const fw = await GpuForward.create(rt, quantizeModel(model, 'f32'), {
    blockSize: STEP_COST_BLOCK,
    numBlocks: most * perSeq,
  });
  try {
    // One untimed engine first builds the prefill plan and every batch size's decode plan (they
    // compile on first use), so no timed step pays for pipeline compilation.
    const warm = new ServeEngine(model, {
      numBlocks: most * perSeq,
      blockSize: STEP_COST_BLOCK,
      maxBatch: most,
      sampling: GREEDY,
    });
    const room = model.config.context - prompt.length - 1;
    warmupLengths(batches, room).forEach((maxNew, id) => warm.submit({ id, prompt, maxNew }));
    while (warm.busy) await warm.stepOn(fw);
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
