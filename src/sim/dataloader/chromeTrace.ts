import type { Trace } from './types';

interface TraceEvent {
  name: string;
  ph: 'X' | 'C' | 'M';
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: Record<string, unknown>;
}

const KIND_NAMES: Record<string, string> = {
  startup: 'worker start-up',
  read: 'storage read',
  load: 'decode + transform',
  copy: 'host→device copy',
  step: 'training step',
  wait: 'waiting for data',
};

/**
 * Chrome Trace Event JSON, the format PyTorch's profiler exports: one thread per worker, one for the
 * GPU, complete ('X') events in microseconds and a counter track for the prefetch queue. Perfetto
 * and chrome://tracing open it directly.
 */
export function toChromeTrace(
  trace: Trace,
  meta: Record<string, unknown> = {},
): { traceEvents: TraceEvent[]; displayTimeUnit: 'ms'; otherData: Record<string, unknown> } {
  const pid = 1;
  const gpuTid = trace.lanes.length + 1;
  const ev: TraceEvent[] = [
    { name: 'process_name', ph: 'M', pid, tid: 0, ts: 0, args: { name: 'DataLoader' } },
    { name: 'thread_name', ph: 'M', pid, tid: gpuTid, ts: 0, args: { name: 'GPU (consumer)' } },
    ...trace.lanes.map((name, i) => ({
      name: 'thread_name',
      ph: 'M' as const,
      pid,
      tid: i + 1,
      ts: 0,
      args: { name },
    })),
  ];
  for (const s of trace.spans) {
    ev.push({
      name: KIND_NAMES[s.kind] ?? s.kind,
      ph: 'X',
      pid,
      tid: s.lane < 0 ? gpuTid : s.lane + 1,
      ts: Math.round(s.t0 * 1000),
      dur: Math.max(0, Math.round((s.t1 - s.t0) * 1000)),
      args: s.batch >= 0 ? { batch: s.batch } : {},
    });
  }
  for (const q of trace.queue)
    ev.push({ name: 'prefetch queue', ph: 'C', pid, tid: 0, ts: Math.round(q.t * 1000), args: { ready: q.depth } });
  return { traceEvents: ev, displayTimeUnit: 'ms', otherData: meta };
}
