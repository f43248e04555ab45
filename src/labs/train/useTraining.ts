import { useCallback, useEffect, useRef, useState } from 'react';
import type { StepCost } from '../../model/train/backend';
import type { EvalPoint } from '../../model/train/checkpoint';
import type { TrainSpec } from '../../model/train/hyper';
import type { StepRecord } from '../../model/train/trainer';
import { browserSlots } from '../../workers/checkpointStore';
import { browserWorkerFactory } from '../../workers/dataloader.client';
import { Comlink, startTrainWorker } from '../../workers/train.client';
import {
  createTrainSession,
  type BackendChoice,
  type RunOptions,
  type SessionEvents,
  type TrainSessionApi,
} from '../../workers/trainSession';

export type TrainStatus = 'loading' | 'ready' | 'running' | 'paused' | 'done' | 'error';

export interface TrainingState {
  status: TrainStatus;
  /** 'worker' when a Web Worker trains; 'main' when it had to run on the page's thread. */
  where: 'worker' | 'main' | null;
  /** Whether the training context offers WebGPU (workers may not). */
  webGpuThere: boolean | null;
  backend: string;
  /** What feeds the trainer its batches, in words (the dataloader workers, or the training thread). */
  data: string;
  /** The run's name in the checkpoint store and where the store keeps its files, in words. */
  run: string;
  storage: string;
  /** FLOPs and bytes of one step by kind of kernel (the GPU step), for the roofline. */
  cost: StepCost | null;
  step: number;
  train: { step: number; loss: number }[];
  evals: EvalPoint[];
  last: StepRecord | null;
  /** The latest per-kernel split (GPU steps profiled with timestamps, one in ten). */
  lastTiming: StepRecord['timing'] | null;
  /** Mixed-precision steps skipped for an overflow since this page opened the run. */
  skipped: number;
  /** Tokens per second over the last steps (wall clock). */
  tokensPerS: number | null;
  checkpoint: { step: number; bytes?: number; error?: string } | null;
  messages: string[];
}

const initial: TrainingState = {
  status: 'loading',
  where: null,
  webGpuThere: null,
  backend: '',
  data: '',
  run: '',
  storage: '',
  cost: null,
  step: 0,
  train: [],
  evals: [],
  last: null,
  lastTiming: null,
  skipped: 0,
  tokensPerS: null,
  checkpoint: null,
  messages: [],
};

type Api = Pick<TrainSessionApi, 'start' | 'run' | 'pause' | 'reset' | 'hasWebGpu'>;

interface Handle {
  api: Api;
  where: 'worker' | 'main';
  /** Wraps the event callbacks for the transport (Comlink.proxy for a worker). */
  wrap(e: SessionEvents): SessionEvents;
  close(): void;
}

function mainThreadSession(): Handle {
  return {
    api: createTrainSession(browserSlots(), undefined, browserWorkerFactory),
    where: 'main',
    wrap: (e) => e,
    close: () => {},
  };
}

/**
 * A Web Worker with its own WebGPU device where the browser offers WebGPU in workers; the page's
 * own thread where it offers WebGPU only there (or cannot start a module worker), said on the page.
 */
async function openSession(backend: BackendChoice): Promise<{ handle: Handle; gpuInWorker: boolean | null }> {
  let w: ReturnType<typeof startTrainWorker>;
  try {
    w = startTrainWorker();
  } catch {
    return { handle: mainThreadSession(), gpuInWorker: null };
  }
  const handle: Handle = {
    api: w.api as unknown as Api,
    where: 'worker',
    wrap: (e) => Comlink.proxy(e),
    close: w.terminate,
  };
  const gpuInWorker = await handle.api.hasWebGpu();
  const pageHasGpu = typeof navigator !== 'undefined' && Boolean((navigator as { gpu?: unknown }).gpu);
  if (backend === 'gpu' && !gpuInWorker && pageHasGpu) {
    w.terminate();
    return { handle: mainThreadSession(), gpuInWorker };
  }
  return { handle, gpuInWorker };
}

/**
 * One training session per spec: on open (and after a reload) it resumes the stored checkpoint of
 * the same configuration, showing its curves; Start/Resume trains, Pause stops after the step in
 * flight, Reset forgets the run and its checkpoints. UI updates are batched to one per frame.
 */
export function useTraining(spec: TrainSpec | null, opts: RunOptions, backend: BackendChoice, workers: number) {
  const [state, setState] = useState<TrainingState>(initial);
  const handle = useRef<Handle | null>(null);
  const pending = useRef<TrainingState>(initial);
  const frame = useRef(0);
  const recent = useRef<{ t: number; tokens: number }[]>([]);
  const specKey = spec ? `${backend} ${workers} ${JSON.stringify(spec)}` : '';

  const flush = useCallback(() => {
    frame.current = 0;
    setState({ ...pending.current });
  }, []);
  const update = useCallback(
    (patch: Partial<TrainingState>, now = false) => {
      pending.current = { ...pending.current, ...patch };
      if (now) flush();
      else if (!frame.current) frame.current = requestAnimationFrame(flush);
    },
    [flush],
  );

  useEffect(() => {
    if (!spec) return;
    let alive = true;
    let h: Handle | null = null;
    pending.current = { ...initial };
    update({}, true);
    (async () => {
      try {
        const opened = await openSession(backend);
        h = opened.handle;
        if (!alive) {
          h.close();
          return;
        }
        handle.current = h;
        const info = await h.api.start(spec, true, backend, workers);
        const gpu = opened.gpuInWorker;
        if (!alive) return;
        const done = info.step >= spec.steps;
        update(
          {
            status: done ? 'done' : info.resumed ? 'paused' : 'ready',
            where: opened.handle.where,
            webGpuThere: gpu,
            backend: info.backend,
            data: info.data,
            run: info.run,
            storage: info.storage,
            cost: info.cost,
            step: info.step,
            train: info.train,
            evals: info.evals,
            messages: [
              ...info.problems,
              ...(info.resumed ? [`Resumed from the checkpoint at step ${info.step}.`] : []),
            ],
          },
          true,
        );
      } catch (e) {
        if (alive) update({ status: 'error', messages: [(e as Error).message] }, true);
      }
    })();
    return () => {
      alive = false;
      cancelAnimationFrame(frame.current);
      frame.current = 0;
      h?.close();
      handle.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- specKey stands for spec: a new configuration is a new session
  }, [specKey, update]);

  const run = useCallback(async () => {
    const h = handle.current;
    if (!h) return;
    recent.current = [];
    update({ status: 'running' }, true);
    const events: SessionEvents = {
      step: (r) => {
        const now = performance.now();
        recent.current.push({ t: now, tokens: r.tokens });
        if (recent.current.length > 20) recent.current.shift();
        const first = recent.current[0];
        const span = (now - first.t) / 1000;
        const tokens = recent.current.slice(1).reduce((a, b) => a + b.tokens, 0);
        const p = pending.current;
        update({
          step: r.step,
          last: r,
          lastTiming: r.timing ?? p.lastTiming,
          skipped: p.skipped + (r.mixed?.skipped ? 1 : 0),
          train: [...p.train, { step: r.step, loss: r.loss }],
          tokensPerS: span > 0 && tokens ? tokens / span : p.tokensPerS,
        });
      },
      evaluation: (e) => update({ evals: [...pending.current.evals, e] }),
      checkpoint: (c) => update({ checkpoint: c }),
    };
    try {
      const step = await h.api.run(opts, h.wrap(events));
      if (handle.current === h) update({ status: step >= (spec?.steps ?? Infinity) ? 'done' : 'paused' }, true);
    } catch (e) {
      if (handle.current === h) update({ status: 'error', messages: [(e as Error).message] }, true);
    }
  }, [opts, spec, update]);

  const pause = useCallback(() => {
    void handle.current?.api.pause();
  }, []);

  const reset = useCallback(async () => {
    const h = handle.current;
    if (!h || !spec) return;
    await h.api.pause();
    await h.api.reset();
    const info = await h.api.start(spec, false, backend, workers);
    update(
      {
        ...initial,
        where: h.where,
        webGpuThere: pending.current.webGpuThere,
        status: 'ready',
        backend: info.backend,
        data: info.data,
        run: info.run,
        storage: info.storage,
        cost: info.cost,
        messages: ['Reset: the run and its stored checkpoints are gone.', ...info.problems],
      },
      true,
    );
  }, [spec, update, backend, workers]);

  return { state, run, pause, reset };
}
