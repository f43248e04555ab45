import { Worker } from 'node:worker_threads';
import { bundleNodeWorker } from '../../src/workers/node/nodeFactory';
import type { ProbeReply } from '../../src/workers/node/inspect.node-worker';

export type Outcome =
  | { kind: 'result'; rows: number; nulls: Record<string, number> }
  | { kind: 'named'; message: string }
  | { kind: 'unnamed'; error: string; message: string }
  | { kind: 'crash'; message: string }
  | { kind: 'hang' };

/**
 * Runs the real inspect path (src/workers/node/inspect.node-worker.ts) in a worker thread with a
 * heap budget, one case at a time, and replaces the worker when a case crashes it or outlives its
 * time limit. A case ends in a result, a named DataFormatError, an unnamed error, a crash or a hang.
 */
export class KillableInspector {
  private worker: Worker | null = null;
  private file: Promise<string>;
  private seq = 0;
  constructor(
    private heapMb = 192,
    private timeoutMs = 4000,
  ) {
    this.file = bundleNodeWorker(process.cwd(), 'src/workers/node/inspect.node-worker.ts');
  }
  private async spawn(): Promise<Worker> {
    if (!this.worker)
      this.worker = new Worker(await this.file, {
        resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 32 },
        stderr: true,
        stdout: true,
      });
    return this.worker;
  }
  async run(bytes: Uint8Array, name: string): Promise<Outcome> {
    const w = await this.spawn();
    const id = ++this.seq;
    return new Promise<Outcome>((resolve) => {
      const done = (o: Outcome, kill: boolean) => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (kill) {
          this.worker = null;
          void w.terminate();
        }
        resolve(o);
      };
      const onMessage = (r: ProbeReply) => {
        if (r.id !== id) return;
        if (r.ok) done({ kind: 'result', rows: r.rows!, nulls: r.nulls! }, false);
        else if (r.named) done({ kind: 'named', message: r.message! }, false);
        else done({ kind: 'unnamed', error: r.error!, message: r.message! }, false);
      };
      const onError = (e: Error) =>
        done({ kind: 'crash', message: `${(e as { code?: string }).code ?? e.name}: ${e.message}` }, true);
      const onExit = (code: number) => done({ kind: 'crash', message: `worker exited with code ${code}` }, true);
      const timer = setTimeout(() => done({ kind: 'hang' }, true), this.timeoutMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage({ id, bytes, name });
    });
  }
  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }
}
