import { JOB_DONE, type Job } from './engine';
import type { Sample, StepRecord } from './monitor';

interface TraceEvent {
  name: string;
  ph: 'X' | 'C' | 'M' | 'b' | 'e' | 'i';
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  id?: number;
  cat?: string;
  s?: 'g' | 'p' | 't';
  args?: Record<string, unknown>;
}

/** Requests drawn as async spans; more would make the file large and Perfetto slow to open. */
export const MAX_TRACE_REQUESTS = 400;

const us = (s: number) => Math.round(s * 1e6);

/**
 * A monitored run as Chrome Trace Event JSON (the format of src/sim/dataloader/chromeTrace.ts and
 * PyTorch's profiler; Perfetto and chrome://tracing open it): the replica's model steps as complete
 * events, the first requests as async spans (queued → prefill to first token → decode), the
 * dashboard series as counter tracks and alerts as instant events. Times are simulated seconds.
 */
export function servingChromeTrace(
  run: {
    steps: readonly StepRecord[];
    jobs: readonly Job[];
    samples: readonly Sample[];
    alerts: readonly { t: number; metric: string; kind: string; value: number }[];
  },
  meta: Record<string, unknown> = {},
): { traceEvents: TraceEvent[]; displayTimeUnit: 'ms'; otherData: Record<string, unknown> } {
  const pid = 1;
  const ev: TraceEvent[] = [
    { name: 'process_name', ph: 'M', pid, tid: 0, ts: 0, args: { name: 'Serving replica (simulated)' } },
    { name: 'thread_name', ph: 'M', pid, tid: 1, ts: 0, args: { name: 'GPU model steps' } },
    { name: 'thread_name', ph: 'M', pid, tid: 2, ts: 0, args: { name: 'Requests' } },
  ];
  for (const s of run.steps)
    ev.push({
      name: s.prefill > 0 ? 'prefill + decode step' : s.steps > 1 ? `${s.steps} decode steps` : 'decode step',
      ph: 'X',
      pid,
      tid: 1,
      ts: us(s.t0),
      dur: Math.max(1, us(s.dt)),
      args: { prefillTokens: s.prefill, decodeTokens: s.decode, running: s.running },
    });
  let n = 0;
  for (const j of run.jobs) {
    if (n >= MAX_TRACE_REQUESTS) break;
    if (j.state !== JOB_DONE) continue;
    n++;
    const id = j.r.id + 1;
    const span = (name: string, t0: number, t1: number) => {
      ev.push({
        name,
        cat: 'request',
        ph: 'b',
        id,
        pid,
        tid: 2,
        ts: us(t0),
        args: { request: id, prompt: j.r.prompt, output: j.r.output },
      });
      ev.push({ name, cat: 'request', ph: 'e', id, pid, tid: 2, ts: us(t1) });
    };
    span(`request ${id}`, j.r.arrival, j.finishTime);
    span('to first token', j.r.arrival, j.firstTokenTime);
    span('decode', j.firstTokenTime, j.finishTime);
  }
  for (const s of run.samples) {
    const ts = us(s.t);
    ev.push({ name: 'queue depth', ph: 'C', pid, tid: 0, ts, args: { waiting: s.queue, running: s.running } });
    ev.push({ name: 'KV-cache usage %', ph: 'C', pid, tid: 0, ts, args: { kv: +(s.kv * 100).toFixed(2) } });
    ev.push({ name: 'output tokens/s', ph: 'C', pid, tid: 0, ts, args: { tokPerS: Math.round(s.tokPerS) } });
    if (!Number.isNaN(s.p99S))
      ev.push({ name: 'latency P50/P99 (s)', ph: 'C', pid, tid: 0, ts, args: { p50: s.p50S, p99: s.p99S } });
  }
  for (const a of run.alerts)
    ev.push({
      name: `alert ${a.kind}: ${a.metric}`,
      ph: 'i',
      s: 'g',
      pid,
      tid: 0,
      ts: us(a.t),
      args: { value: a.value },
    });
  return { traceEvents: ev, displayTimeUnit: 'ms', otherData: { simulated: true, ...meta } };
}
