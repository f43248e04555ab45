// The user's-file path (inspect, then every numeric column read once) in a Node worker thread, so a
// test can give it a memory budget and kill it when a case runs too long (test/data/fuzz.test.ts).
import { parentPort } from 'node:worker_threads';
import { DataFormatError } from '../../data/errors';
import { inspectFile, readAllOnce } from '../../data/inspect';

if (!parentPort) throw new Error('inspect.node-worker must run in a worker thread');
const port = parentPort;

export interface ProbeReply {
  id: number;
  ok: boolean;
  rows?: number;
  nulls?: Record<string, number>;
  /** The error's class name (DataFormatError when named) and its message. */
  error?: string;
  message?: string;
  named?: boolean;
}

port.on('message', async ({ id, bytes, name }: { id: number; bytes: Uint8Array; name: string }) => {
  let reply: ProbeReply;
  try {
    const info = inspectFile(bytes, name);
    let rows = info.rows;
    let nulls: Record<string, number> = {};
    if (info.rows > 0 && info.columns.some((c) => c.numeric)) {
      const { out } = await readAllOnce(bytes, info);
      rows = out.rows;
      nulls = out.nulls;
    }
    reply = { id, ok: true, rows, nulls };
  } catch (e) {
    const err = e as Error;
    reply = {
      id,
      ok: false,
      error: err?.name ?? typeof e,
      message: String(err?.message ?? e).slice(0, 300),
      named: e instanceof DataFormatError,
    };
  }
  port.postMessage(reply);
});
