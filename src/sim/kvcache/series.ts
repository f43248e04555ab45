import type { StepLog } from './stepLog';

/** Per-step metrics averaged into at most `maxPoints` buckets, for charts. Plain arrays (JSON). */
export interface Series {
  step: number[];
  time: number[];
  /** Waste share of allocated slots in the bucket. */
  waste: number[];
  overReserved: number[];
  internal: number[];
  external: number[];
  /** Live tokens / all memory. */
  kvInUse: number[];
  running: number[];
  waiting: number[];
  preempted: number[];
  /** Generated tokens per simulated second over the bucket. */
  throughput: number[];
}

export function downsample(log: StepLog, totalSlots: number, maxPoints = 300): Series {
  const n = log.length;
  const size = Math.max(1, Math.ceil(n / maxPoints));
  const s: Series = {
    step: [],
    time: [],
    waste: [],
    overReserved: [],
    internal: [],
    external: [],
    kvInUse: [],
    running: [],
    waiting: [],
    preempted: [],
    throughput: [],
  };
  const [time, dt, alloc, live, over, internal, ext, running, waiting, pre, dec] = (
    [
      'time',
      'dt',
      'allocatedSlots',
      'liveSlots',
      'overReservedSlots',
      'internalSlots',
      'externalFrag',
      'running',
      'waiting',
      'preempted',
      'decodeTokens',
    ] as const
  ).map((c) => log.col(c));
  for (let a = 0; a < n; a += size) {
    const b = Math.min(n, a + size);
    let sa = 0,
      sl = 0,
      so = 0,
      si = 0,
      se = 0,
      sr = 0,
      sw = 0,
      sp = 0,
      sd = 0,
      st = 0;
    for (let i = a; i < b; i++) {
      sa += alloc[i];
      sl += live[i];
      so += over[i];
      si += internal[i];
      se += ext[i];
      sr += running[i];
      sw += waiting[i];
      sp += pre[i];
      sd += dec[i];
      st += dt[i];
    }
    const k = b - a;
    const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
    s.step.push(a);
    s.time.push(r4(time[a]));
    s.waste.push(sa ? r4((sa - sl) / sa) : 0);
    s.overReserved.push(sa ? r4(so / sa) : 0);
    s.internal.push(sa ? r4(si / sa) : 0);
    s.external.push(r4(se / k));
    s.kvInUse.push(r4(sl / k / totalSlots));
    s.running.push(r4(sr / k));
    s.waiting.push(r4(sw / k));
    s.preempted.push(r4(sp / k));
    s.throughput.push(st > 0 ? Math.round(sd / st) : 0);
  }
  return s;
}
