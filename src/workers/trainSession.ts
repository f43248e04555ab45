import type { StepCost } from '../model/train/backend';
import type { EvalPoint } from '../model/train/checkpoint';
import { GpuRuntime } from '../gpu/runtime';
import { GpuBackend } from '../model/gpu/gpuBackend';
import { CpuBackend } from '../model/train/cpuBackend';
import type { TrainSpec } from '../model/train/hyper';
import { inlineData, Trainer, type BackendFactory, type DataFactory, type StepRecord } from '../model/train/trainer';
import { CheckpointStore, CheckpointStoreError, runName, storageWords, type SlotBackend } from './checkpointStore';
import type { WorkerFactory } from './pool';
import { shardData } from './shardStream';

/**
 * The Train lab's training loop as an API: the worker exposes it through Comlink, the page calls it
 * directly where it must train on the main thread, and tests drive it with a Map store. One
 * session trains one run: start (fresh or from the stored checkpoint), run until paused or done,
 * evaluating every E steps and checkpointing every K.
 */
export interface SessionEvents {
  step(r: StepRecord): void;
  evaluation(p: EvalPoint): void;
  /** A checkpoint was saved (bytes) or refused (error: a named message; the last good one is kept). */
  checkpoint(c: { step: number; bytes?: number; error?: string }): void;
}

export interface StartInfo {
  step: number;
  /** Loss per step and evaluations so far (a resumed run continues these curves). */
  train: { step: number; loss: number }[];
  evals: EvalPoint[];
  resumed: boolean;
  /** Why a stored checkpoint was not used (corrupt, another model), if one was skipped. */
  problems: string[];
  backend: string;
  /** What feeds the trainer its batches (the dataloader workers, or this thread), in words. */
  data: string;
  /** The run's name in the checkpoint store, and where the store keeps its files. */
  run: string;
  storage: string;
  /** FLOPs and bytes of one step by kind of kernel (GPU step only), for the roofline. */
  cost: StepCost | null;
}

export interface RunOptions {
  evalEvery: number;
  checkpointEvery: number;
}

/** Same spec (model, task, schedule, seed) ⇒ the checkpoint continues this run. */
export function sameRun(a: TrainSpec, b: TrainSpec): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export const cpuFactory: BackendFactory = async (spec, params) => new CpuBackend(spec, params);

export type BackendChoice = 'gpu' | 'cpu';

/**
 * The GPU step where this context offers WebGPU and the configuration fits the kernels; the CPU
 * reference otherwise, with the reason in `notes` (shown on the page).
 */
function chooseFactory(choice: BackendChoice, notes: string[], runtime: { rt: GpuRuntime | null }): BackendFactory {
  if (choice === 'cpu') return cpuFactory;
  return async (spec, params) => {
    const gpu = typeof navigator !== 'undefined' ? (navigator as { gpu?: GPU }).gpu : undefined;
    if (!gpu) {
      notes.push('WebGPU is not offered here: training on the float64 CPU reference instead.');
      return cpuFactory(spec, params);
    }
    try {
      runtime.rt ??= await GpuRuntime.create({ gpu, label: 'train' });
      return await GpuBackend.create(runtime.rt, spec, params);
    } catch (e) {
      notes.push(
        `The GPU step cannot run this configuration (${(e as Error).message}); training on the float64 CPU reference instead.`,
      );
      return cpuFactory(spec, params);
    }
  };
}

/**
 * Batches from Parquet shards through `workers` dataloader workers where a worker factory is given
 * and can start them; from the sampler in this thread otherwise (0 workers, PyTorch's num_workers
 * = 0), with the reason in `notes` when the workers could not start.
 */
function chooseData(workers: number, factory: WorkerFactory | undefined, notes: string[]): DataFactory {
  if (workers < 1 || !factory) return inlineData;
  const shards = shardData(factory, { workers, prefetch: 2 });
  return async (spec, state) => {
    try {
      return await shards(spec, state);
    } catch (e) {
      notes.push(
        `The dataloader workers could not start (${(e as Error).message}); batches are generated in the training thread instead.`,
      );
      return inlineData(spec, state);
    }
  };
}

/**
 * `slots`: where checkpoints go (browserSlots() in the lab: OPFS or IndexedDB; memorySlots() in
 * tests); each configuration is its own named run there, so another run's checkpoints survive.
 */
export function createTrainSession(
  slots: SlotBackend | Promise<SlotBackend>,
  fixedFactory?: BackendFactory,
  workerFactory?: WorkerFactory,
) {
  let trainer: Trainer | null = null;
  let store: CheckpointStore | null = null;
  const runtime: { rt: GpuRuntime | null } = { rt: null };
  let loop: Promise<number> | null = null;
  let stopRequested = false;

  /** Stops a run in flight after its current step and waits for it. */
  const settle = async () => {
    stopRequested = true;
    await loop?.catch(() => undefined);
  };

  return {
    /** Whether this context offers WebGPU (a worker may not). */
    hasWebGpu(): boolean {
      return typeof navigator !== 'undefined' && 'gpu' in navigator && Boolean((navigator as { gpu?: unknown }).gpu);
    },

    async start(spec: TrainSpec, resume: boolean, backend: BackendChoice = 'cpu', workers = 0): Promise<StartInfo> {
      await settle();
      trainer?.dispose();
      trainer = null;
      const problems: string[] = [];
      const factory = fixedFactory ?? chooseFactory(backend, problems, runtime);
      const data = chooseData(workers, workerFactory, problems);
      store = new CheckpointStore(await slots, runName(spec));
      if (resume) {
        const loaded = await store.load().catch((e) => {
          if (!(e instanceof CheckpointStoreError)) throw e;
          return { checkpoint: null, problems: [e.message] };
        });
        problems.push(...loaded.problems);
        if (loaded.checkpoint && sameRun(loaded.checkpoint.spec, spec))
          trainer = await Trainer.resume(loaded.checkpoint, factory, data);
        else if (loaded.checkpoint)
          problems.push(
            `The stored checkpoint (step ${loaded.checkpoint.step}) is of another configuration; starting fresh.`,
          );
      }
      const resumed = trainer !== null;
      trainer ??= await Trainer.create(spec, factory, data);
      return {
        step: trainer.step,
        train: trainer.train,
        evals: trainer.evals,
        resumed,
        problems,
        backend: trainer.backend.name,
        data: trainer.data.name,
        run: store.run,
        storage: storageWords(store.kind),
        cost: trainer.backend.stepCost?.() ?? null,
      };
    },

    /** Trains until pause() or the schedule's last step; resolves with the step reached. */
    run(opts: RunOptions, events: SessionEvents): Promise<number> {
      const t = trainer;
      const st = store;
      if (!t || !st) return Promise.reject(new Error('Start a run first.'));
      if (loop) return loop;
      stopRequested = false;
      loop = (async () => {
        if (t.evals.length === 0) events.evaluation(await t.evaluate());
        while (!stopRequested && t.step < t.spec.steps) {
          events.step(await t.trainStep());
          if (t.step % opts.evalEvery === 0 || t.step === t.spec.steps) events.evaluation(await t.evaluate());
          if (opts.checkpointEvery > 0 && (t.step % opts.checkpointEvery === 0 || t.step === t.spec.steps)) {
            try {
              events.checkpoint({ step: t.step, bytes: await st.save(await t.checkpoint()) });
            } catch (e) {
              if (!(e instanceof CheckpointStoreError)) throw e;
              events.checkpoint({ step: t.step, error: e.message });
            }
          }
          // Let pause() and other messages in between steps.
          await new Promise((r) => setTimeout(r, 0));
        }
        return t.step;
      })().finally(() => {
        loop = null;
      });
      return loop;
    },

    pause(): void {
      stopRequested = true;
    },

    /** Forgets the run and its stored checkpoints. */
    async reset(): Promise<void> {
      await settle();
      trainer?.dispose();
      trainer = null;
      await store?.clear().catch((e) => {
        if (!(e instanceof CheckpointStoreError)) throw e;
      });
    },
  };
}

export type TrainSessionApi = ReturnType<typeof createTrainSession>;
