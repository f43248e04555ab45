/**
 * worker_threads factory for the pool, Node only (tests and the bench; never imported by the app).
 * Node cannot run the TypeScript worker directly, so it is bundled once with rolldown into a
 * temporary .mjs file; every worker thread then loads that file.
 */
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerFactory, WorkerHandle } from '../pool';

/** Bundled worker files by entry (the data loader's, the mini-cluster rank's). */
const bundled = new Map<string, Promise<string>>();

export const DATALOADER_NODE_WORKER = 'src/workers/node/dataloader.node-worker.ts';

export function bundleNodeWorker(root = process.cwd(), entry = DATALOADER_NODE_WORKER): Promise<string> {
  const input = resolve(root, entry);
  let file = bundled.get(input);
  if (!file) {
    file = (async () => {
      const { rolldown } = await import('rolldown');
      const out = join(mkdtempSync(join(tmpdir(), 'gp-worker-')), 'worker.mjs');
      const bundle = await rolldown({ input, platform: 'node', logLevel: 'silent' });
      await bundle.write({ file: out, format: 'esm' });
      await bundle.close();
      return out;
    })();
    bundled.set(input, file);
  }
  return file;
}

export async function nodeWorkerFactory(root?: string, entry?: string): Promise<WorkerFactory & { live(): number }> {
  const file = await bundleNodeWorker(root, entry);
  let live = 0;
  const make = (): WorkerHandle => {
    const worker = new Worker(file);
    live++;
    let done = false;
    let listener: ((reason: string) => void) | null = null;
    const end = (reason: string | null) => {
      if (done) return;
      done = true;
      live--;
      if (reason !== null) listener?.(reason);
    };
    worker.on('error', (e) => end(e.message));
    worker.on('exit', (code) => end(`worker exited with code ${code}`));
    return {
      endpoint: nodeEndpoint(worker),
      onCrash(cb) {
        listener = cb;
      },
      terminate() {
        end(null);
        void worker.terminate();
      },
    };
  };
  return Object.assign(make, { live: () => live });
}
