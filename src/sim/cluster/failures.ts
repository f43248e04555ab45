import { mulberry32 } from '../../kernels/random';

/**
 * A seeded discrete-event simulation of a long training job that fails. Failures arrive as a Poisson
 * process at (failures per GPU-hour × GPUs in the job); a failure rolls training back to the last
 * durable checkpoint and costs a restart. A share of failures are hardware: the node leaves for
 * repair, and the job either takes a spare, shrinks (elastic) or waits for a repaired node.
 *
 * Work is counted in full-cluster hours: an hour of training on all nodes is 1, on 90 % of them 0.9.
 * Wall time splits exactly into kept work + lost work + checkpoint stalls + restarts + waiting +
 * capacity missing while elastic, so goodput = kept work / wall time.
 */
export type FailurePolicy = 'wait' | 'elastic';

export interface FailureConfig {
  gpus: number;
  gpusPerNode: number;
  /** Unexpected interruptions per GPU-hour. */
  failuresPerGpuHour: number;
  /** Share of failures that take their node out for repair (the rest restart on the same nodes). */
  hardwareFraction: number;
  /** Hours of training between checkpoints τ. */
  intervalH: number;
  /** Hours to make a checkpoint durable (write it to its storage) C. */
  writeH: number;
  /** Asynchronous checkpoints stall training only for a snapshot into host memory, then persist in the background. */
  async: boolean;
  /** Hours training stalls for an asynchronous checkpoint's snapshot. */
  snapshotH: number;
  /** Hours from a failure to training again: detect, reschedule, load the checkpoint, warm up. */
  restartH: number;
  policy: FailurePolicy;
  spareNodes: number;
  /** Hours until a failed node is repaired and becomes a spare. */
  repairH: number;
  /** Elastic jobs keep running down to this share of their nodes; below it they wait. */
  minFraction: number;
  horizonH: number;
  seed: number;
  /** A hardware failure forced at this wall-clock hour (e.g. "crashed at hour 40"); null for none. */
  injectAtH: number | null;
  /** Timeline entries kept (the statistics always cover the whole horizon). */
  maxTimeline?: number;
}

export type Phase = 'train' | 'checkpoint' | 'restart' | 'wait';

export interface PhaseSpan {
  from: number;
  to: number;
  phase: Phase;
  /** Share of nodes training (elastic runs below 1). */
  capacity: number;
}

export interface JobEvent {
  t: number;
  kind: 'failure' | 'hardware-failure' | 'checkpoint' | 'checkpoint-lost' | 'node-repaired' | 'shrink' | 'regrow';
  /** Work rolled back (failures), in full-cluster hours. */
  lostH?: number;
  /** Nodes training after the event. */
  nodes: number;
}

export interface FailureResult {
  horizonH: number;
  mtbfH: number;
  keptH: number;
  lostH: number;
  checkpointH: number;
  restartH: number;
  waitH: number;
  /** Wall hours × the share of nodes missing while an elastic job ran smaller. */
  degradedH: number;
  goodput: number;
  failures: number;
  hardwareFailures: number;
  checkpoints: number;
  /** Asynchronous checkpoints that a failure caught before they were durable. */
  checkpointsLost: number;
  spans: PhaseSpan[];
  events: JobEvent[];
}

export function failureProblems(c: FailureConfig): string[] {
  const out: string[] = [];
  const pos = (v: number, what: string) => {
    if (!(v > 0) || !Number.isFinite(v)) out.push(`${what} must be above 0 (got ${v})`);
  };
  pos(c.gpus, 'GPUs');
  pos(c.gpusPerNode, 'GPUs per node');
  pos(c.intervalH, 'checkpoint interval');
  pos(c.horizonH, 'simulated time');
  if (!(c.failuresPerGpuHour >= 0)) out.push(`failure rate must be 0 or more (got ${c.failuresPerGpuHour})`);
  for (const [v, what] of [
    [c.writeH, 'checkpoint write time'],
    [c.snapshotH, 'snapshot time'],
    [c.restartH, 'restart time'],
    [c.repairH, 'repair time'],
    [c.spareNodes, 'spare nodes'],
  ] as const) {
    if (!(v >= 0) || !Number.isFinite(v)) out.push(`${what} must be 0 or more (got ${v})`);
  }
  if (!(c.hardwareFraction >= 0 && c.hardwareFraction <= 1))
    out.push(`hardware share must be between 0 and 1 (got ${c.hardwareFraction})`);
  if (c.gpus % c.gpusPerNode !== 0) out.push(`GPUs (${c.gpus}) must be whole nodes of ${c.gpusPerNode}`);
  return out;
}

export function simulateFailures(c: FailureConfig): FailureResult {
  const problems = failureProblems(c);
  if (problems.length) throw new Error(problems.join('; '));
  const rand = mulberry32(c.seed);
  const total = c.gpus / c.gpusPerNode;
  const minNodes = Math.max(1, Math.ceil(total * c.minFraction));
  const maxTimeline = c.maxTimeline ?? 2000;
  const H = c.horizonH;

  let t = 0;
  let nodes = total; // nodes in the job
  let spares = c.spareNodes;
  const repairs: number[] = []; // completion times, kept sorted
  let phase = 'train' as Phase; // widened: closures below change it
  let phaseEnd = Infinity; // end of a checkpoint stall or restart
  let work = 0;
  let durable = 0;
  let nextCkptAt = c.intervalH; // work level at which the next checkpoint starts
  let persist: { end: number; work: number } | null = null;
  let snapshotWork = 0;
  let waitingForPersist = false;
  let pendingRegrow = false;

  const r: FailureResult = {
    horizonH: H,
    mtbfH: c.failuresPerGpuHour > 0 ? 1 / (c.failuresPerGpuHour * c.gpus) : Infinity,
    keptH: 0,
    lostH: 0,
    checkpointH: 0,
    restartH: 0,
    waitH: 0,
    degradedH: 0,
    goodput: 0,
    failures: 0,
    hardwareFailures: 0,
    checkpoints: 0,
    checkpointsLost: 0,
    spans: [],
    events: [],
  };
  const span = (from: number, to: number) => {
    if (to <= from || r.spans.length >= maxTimeline) return;
    const capacity = nodes / total;
    const last = r.spans[r.spans.length - 1];
    if (last && last.phase === phase && last.capacity === capacity && last.to === from) last.to = to;
    else r.spans.push({ from, to, phase, capacity });
  };
  const event = (e: JobEvent) => {
    if (r.events.length < maxTimeline) r.events.push(e);
  };
  const drawFailure = () =>
    c.failuresPerGpuHour > 0 ? t - Math.log(1 - rand()) / (c.failuresPerGpuHour * nodes * c.gpusPerNode) : Infinity;
  let nextFailure = drawFailure();
  let injected = c.injectAtH === null || c.injectAtH < 0;

  const startStall = () => {
    snapshotWork = work;
    phaseEnd = t + (c.async ? c.snapshotH : c.writeH);
  };
  const startRestart = () => {
    phase = 'restart';
    phaseEnd = t + c.restartH;
  };

  while (t < H) {
    const running = phase !== 'wait';
    const ckptDue = phase === 'train' ? t + (nextCkptAt - work) / (nodes / total) : Infinity;
    const inject = injected ? Infinity : (c.injectAtH as number);
    const candidates = [
      running ? nextFailure : Infinity,
      inject,
      phase === 'train' ? ckptDue : phaseEnd,
      persist ? persist.end : Infinity,
      repairs.length ? repairs[0] : Infinity,
      H,
    ];
    let next = Infinity;
    let which = -1;
    for (let i = 0; i < candidates.length; i++) {
      if (candidates[i] < next) {
        next = candidates[i];
        which = i;
      }
    }
    next = Math.max(next, t);
    // Account the elapsed interval to the current phase.
    const dt = next - t;
    if (phase === 'train') {
      const cap = nodes / total;
      work += dt * cap;
      r.degradedH += dt * (1 - cap);
    } else if (phase === 'checkpoint') r.checkpointH += dt;
    else if (phase === 'restart') r.restartH += dt;
    else r.waitH += dt;
    span(t, next);
    t = next;
    if (which === 5) break;

    if (which === 0 || which === 1) {
      const hardware = which === 1 || rand() < c.hardwareFraction;
      if (which === 1) injected = true;
      r.failures++;
      const lost = work - durable;
      r.lostH += lost;
      work = durable;
      nextCkptAt = durable + c.intervalH;
      waitingForPersist = false;
      if (persist) {
        r.checkpointsLost++;
        event({ t, kind: 'checkpoint-lost', nodes });
        persist = null;
      }
      if (hardware) {
        r.hardwareFailures++;
        repairs.push(t + c.repairH);
        repairs.sort((a, b) => a - b);
        // A spare takes the failed node's place; without one the job is a node short.
        if (spares > 0) spares--;
        else nodes--;
      }
      event({ t, kind: hardware ? 'hardware-failure' : 'failure', lostH: lost, nodes });
      if (nodes < total && (c.policy === 'wait' || nodes < minNodes)) {
        phase = 'wait';
        phaseEnd = Infinity;
      } else {
        if (hardware && nodes < total) event({ t, kind: 'shrink', nodes });
        startRestart();
      }
      nextFailure = drawFailure();
      continue;
    }
    if (which === 2) {
      if (phase === 'train') {
        // A checkpoint is due. An asynchronous one still persisting holds the next one back.
        phase = 'checkpoint';
        if (c.async && persist) {
          waitingForPersist = true;
          phaseEnd = Infinity;
        } else startStall();
        continue;
      }
      if (phase === 'checkpoint') {
        nextCkptAt = work + c.intervalH;
        phase = 'train';
        phaseEnd = Infinity;
        if (c.async) persist = { end: t + c.writeH, work: snapshotWork };
        else {
          markDurable(snapshotWork);
          maybeRegrow();
        }
        continue;
      }
      // Restart finished.
      phase = 'train';
      phaseEnd = Infinity;
      continue;
    }
    if (which === 3) {
      completePersist();
      if (phase === 'checkpoint' && waitingForPersist) {
        waitingForPersist = false;
        startStall();
      }
      continue;
    }
    if (which === 4) {
      repairs.shift();
      spares++;
      event({ t, kind: 'node-repaired', nodes });
      if (nodes < total) {
        if (phase === 'wait' && (c.policy === 'wait' ? nodes + 1 === total : nodes + 1 >= minNodes)) {
          spares--;
          nodes++;
          nextFailure = drawFailure();
          startRestart();
        } else if (phase === 'wait') {
          spares--;
          nodes++;
        } else pendingRegrow = true;
      }
      continue;
    }
  }

  function markDurable(w: number) {
    durable = w;
    r.checkpoints++;
    event({ t, kind: 'checkpoint', nodes });
  }
  function completePersist() {
    if (!persist) return;
    markDurable(persist.work);
    persist = null;
    maybeRegrow();
  }
  function maybeRegrow() {
    // An elastic job takes repaired nodes back right after a checkpoint, so regrowing loses no work.
    if (!pendingRegrow || phase !== 'train' || spares === 0 || nodes === total) return;
    const add = Math.min(spares, total - nodes);
    spares -= add;
    nodes += add;
    pendingRegrow = false;
    event({ t, kind: 'regrow', nodes });
    // An asynchronous checkpoint is older than the current step: the steps since it are redone.
    r.lostH += work - durable;
    work = durable;
    nextCkptAt = durable + c.intervalH;
    nextFailure = drawFailure();
    startRestart();
  }

  r.keptH = work;
  r.goodput = work / H;
  return r;
}
