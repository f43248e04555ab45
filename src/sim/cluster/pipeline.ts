import type { Schedule } from './parallel';

/**
 * Pipeline-parallel schedules as event lists, built by running each GPU's operations in the order the
 * schedule prescribes, each as soon as its input exists:
 *   GPipe (Huang et al. 2019): every forward, then every backward.
 *   1F1B (PipeDream-Flush, Narayanan et al. 2021): p−s−1 warm-up forwards on stage s, then one
 *     forward / one backward alternately, so at most p micro-batches are in flight.
 *   Interleaved 1F1B (Narayanan et al. 2021 §2.2.2, Megatron-LM's schedule): each GPU holds v model
 *     chunks (stage s holds virtual stages s, s+p, …) and walks micro-batches in groups of p.
 * Nothing here is drawn from a formula: the bubble the tests compare with the papers' formulas is
 * measured from these events.
 */
export interface PipeEvent {
  stage: number;
  microbatch: number;
  /** Model chunk on this GPU (0 unless interleaved). */
  chunk: number;
  kind: 'F' | 'B';
  start: number;
  end: number;
}

export interface PipeOptions {
  stages: number;
  microbatches: number;
  schedule: Schedule;
  /** Model chunks per GPU v (interleaved only). */
  chunks?: number;
  /** Time of one micro-batch's forward through a whole stage (all its chunks). */
  forward?: number;
  /** Backward time; about twice the forward for transformers. */
  backward?: number;
}

export interface PipeTimeline {
  events: PipeEvent[];
  makespan: number;
  /** Busy time per GPU: m·(t_f + t_b), the same on every stage. */
  busyPerStage: number;
  /** Idle share of the makespan: (p−1)/(m+p−1) for GPipe and 1F1B. */
  idleFraction: number;
  /** Bubble relative to the ideal m·(t_f + t_b): (p−1)/m, or (1/v)(p−1)/m interleaved (Narayanan et al. 2021). */
  bubbleRelative: number;
  /** Most micro-batch chunks whose activations a stage held at once, per stage. */
  peakInFlight: number[];
}

interface Op {
  chunk: number;
  mb: number;
  kind: 'F' | 'B';
}

/** Problems with pipeline options, each a sentence; empty when the schedule can be built. */
export function pipelineProblems(o: PipeOptions): string[] {
  const out: string[] = [];
  const v = o.chunks ?? 1;
  if (!Number.isInteger(o.stages) || o.stages < 1) out.push(`stages must be a positive whole number (got ${o.stages})`);
  if (!Number.isInteger(o.microbatches) || o.microbatches < 1)
    out.push(`micro-batches must be a positive whole number (got ${o.microbatches})`);
  if (o.schedule === 'interleaved') {
    if (!Number.isInteger(v) || v < 1) out.push(`chunks per GPU must be a positive whole number (got ${v})`);
    if (o.microbatches % o.stages !== 0) {
      out.push(
        `interleaved 1F1B needs micro-batches (${o.microbatches}) to be a multiple of stages (${o.stages}), as in Megatron-LM`,
      );
    }
  }
  return out;
}

function stageOrder(o: PipeOptions, s: number): Op[] {
  const p = o.stages;
  const m = o.microbatches;
  const ops: Op[] = [];
  if (o.schedule === 'gpipe') {
    for (let i = 0; i < m; i++) ops.push({ chunk: 0, mb: i, kind: 'F' });
    for (let i = 0; i < m; i++) ops.push({ chunk: 0, mb: i, kind: 'B' });
    return ops;
  }
  if (o.schedule === '1f1b') {
    const warm = Math.min(p - s - 1, m);
    for (let i = 0; i < warm; i++) ops.push({ chunk: 0, mb: i, kind: 'F' });
    for (let i = 0; i < m - warm; i++) {
      ops.push({ chunk: 0, mb: warm + i, kind: 'F' });
      ops.push({ chunk: 0, mb: i, kind: 'B' });
    }
    for (let i = m - warm; i < m; i++) ops.push({ chunk: 0, mb: i, kind: 'B' });
    return ops;
  }
  // Interleaved: Megatron-LM's forward_backward_pipelining_with_interleaving ordering.
  const v = o.chunks ?? 1;
  const total = m * v;
  const at = (k: number, forward: boolean): Op => {
    const inGroup = k % (p * v);
    const c = Math.floor(inGroup / p);
    return { chunk: forward ? c : v - 1 - c, mb: Math.floor(k / (p * v)) * p + (k % p), kind: forward ? 'F' : 'B' };
  };
  const warm = m === p ? total : Math.min((p - s - 1) * 2 + (v - 1) * p, total);
  for (let k = 0; k < warm; k++) ops.push(at(k, true));
  for (let k = 0; k < total - warm; k++) {
    ops.push(at(warm + k, true));
    ops.push(at(k, false));
  }
  for (let k = total - warm; k < total; k++) ops.push(at(k, false));
  return ops;
}

export function pipelineSchedule(o: PipeOptions): PipeTimeline {
  const problems = pipelineProblems(o);
  if (problems.length) throw new Error(problems.join('; '));
  const p = o.stages;
  const m = o.microbatches;
  const v = o.schedule === 'interleaved' ? (o.chunks ?? 1) : 1;
  const tf = (o.forward ?? 1) / v;
  const tb = (o.backward ?? 2) / v;
  const V = p * v;
  // End times by virtual stage j = chunk·p + stage and micro-batch; NaN until scheduled.
  const fEnd = new Float64Array(V * m).fill(NaN);
  const bEnd = new Float64Array(V * m).fill(NaN);
  const orders = Array.from({ length: p }, (_, s) => stageOrder(o, s));
  const next = new Array<number>(p).fill(0);
  const free = new Array<number>(p).fill(0);
  const events: PipeEvent[] = [];
  let remaining = orders.reduce((n, ops) => n + ops.length, 0);
  while (remaining > 0) {
    let progressed = false;
    for (let s = 0; s < p; s++) {
      // Run this stage's ops for as long as their inputs are ready.
      while (next[s] < orders[s].length) {
        const op = orders[s][next[s]];
        const j = op.chunk * p + s;
        const dep =
          op.kind === 'F'
            ? j === 0
              ? 0
              : fEnd[(j - 1) * m + op.mb]
            : j === V - 1
              ? fEnd[j * m + op.mb]
              : bEnd[(j + 1) * m + op.mb];
        if (Number.isNaN(dep)) break;
        const start = Math.max(free[s], dep);
        const end = start + (op.kind === 'F' ? tf : tb);
        (op.kind === 'F' ? fEnd : bEnd)[j * m + op.mb] = end;
        free[s] = end;
        events.push({ stage: s, microbatch: op.mb, chunk: op.chunk, kind: op.kind, start, end });
        next[s]++;
        remaining--;
        progressed = true;
      }
    }
    if (!progressed) throw new Error(`pipeline schedule deadlocked (${o.schedule}, p = ${p}, m = ${m}, v = ${v})`);
  }
  events.sort((a, b) => a.start - b.start || a.stage - b.stage);
  const makespan = Math.max(...free);
  const busyPerStage = m * ((o.forward ?? 1) + (o.backward ?? 2));
  const peakInFlight = new Array<number>(p).fill(0);
  const live = new Array<number>(p).fill(0);
  // A chunk's activations live from its forward's start to its backward's end; walk the events in
  // time order (ends before starts at equal times) to find each stage's peak.
  const marks = events.flatMap((e) =>
    e.kind === 'F' ? [{ t: e.start, s: e.stage, d: 1 }] : [{ t: e.end, s: e.stage, d: -1 }],
  );
  marks.sort((a, b) => a.t - b.t || a.d - b.d);
  for (const k of marks) {
    live[k.s] += k.d;
    peakInFlight[k.s] = Math.max(peakInFlight[k.s], live[k.s]);
  }
  return {
    events,
    makespan,
    busyPerStage,
    idleFraction: 1 - busyPerStage / makespan,
    bubbleRelative: makespan / busyPerStage - 1,
    peakInFlight,
  };
}
