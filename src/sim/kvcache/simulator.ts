import { ContiguousKv } from './contiguousKv';
import { stepSeconds, LLAMA7B_A100, type ModelProfile } from './costModel';
import { PagedKv, InvariantError } from './pagedKv';
import { Rng } from './rng';
import type { Group, KvBackend, Seq } from './state';
import { StepLog } from './stepLog';
import { DEFAULT_MAX_BATCH, type SimConfig, type TraceRequest } from './types';

export class CapacityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CapacityError';
  }
}

export const MAX_SAMPLES = 8;
export const MAX_BLOCKS = 1 << 20;

/** Rejects configurations that cannot run, with a message a user can act on. */
export function validateConfig(c: SimConfig): void {
  if (!Number.isInteger(c.blockSize) || c.blockSize < 1 || c.blockSize > 256)
    throw new RangeError(`Block size must be a whole number of tokens from 1 to 256; got ${c.blockSize}.`);
  if (!Number.isInteger(c.numBlocks) || c.numBlocks < 1 || c.numBlocks > MAX_BLOCKS)
    throw new RangeError(
      `Memory must hold from 1 to ${MAX_BLOCKS.toLocaleString('en-US')} blocks; got ${c.numBlocks}.`,
    );
  if (!Number.isInteger(c.n) || c.n < 1 || c.n > MAX_SAMPLES)
    throw new RangeError(`Parallel samples n must be from 1 to ${MAX_SAMPLES}; got ${c.n}.`);
  if (!Number.isInteger(c.systemPrompt) || c.systemPrompt < 0 || c.systemPrompt > 4096)
    throw new RangeError(`System prompt must be 0 to 4096 tokens; got ${c.systemPrompt}.`);
  if (!Number.isInteger(c.maxBatch) || c.maxBatch < c.n)
    throw new RangeError(`Batch limit must be at least n = ${c.n}; got ${c.maxBatch}.`);
}

/** Each sample of a request stops at its own length: sample 0 at the trace's, others drawn around it. */
function sampleTargets(req: TraceRequest, n: number, rng: Rng): number[] {
  const out = [req.output];
  for (let i = 1; i < n; i++)
    out.push(Math.max(1, Math.min(req.maxTokens, Math.round(req.output * (0.5 + rng.next())))));
  return out;
}

export interface SimSummary {
  allocator: 'paged' | 'contiguous';
  requests: number;
  steps: number;
  simSeconds: number;
  /** Allocated slots holding no token / allocated slots, averaged over steps. */
  waste: number;
  overReservation: number;
  internalFragmentation: number;
  /** Free memory stranded in holes too small for the next request, share of all memory, averaged. */
  externalFragmentation: number;
  /** Live tokens / all memory, averaged over steps. */
  kvInUse: number;
  meanRunning: number;
  peakRunning: number;
  meanWaiting: number;
  tokensPerStep: number;
  throughputTokPerS: number;
  requestsPerS: number;
  meanLatencyS: number;
  p50LatencyS: number;
  p99LatencyS: number;
  meanTtftS: number;
  /** Latency divided by output length, averaged (vLLM's normalized latency), in s/token. */
  normalizedLatencyS: number;
  preemptions: number;
  /** Requests that can never fit in this memory (not served). */
  rejected: number;
  rejectMessage: string | null;
  cowCopies: number;
  swappedTokens: number;
  recomputedTokens: number;
}

export interface SimHooks {
  /** Called after every step; tests check invariants here, the recorder snapshots the map. */
  onStep?(sim: KvSimulator): void;
}

/**
 * Steps a serving engine one model iteration at a time: admits waiting requests while memory
 * allows (continuous batching: every step; static batching: only when the batch has drained),
 * stores one new token per running sequence, preempts the latest-admitted request when paged
 * memory runs out (last come, first preempted, as vLLM does), and logs metrics per step.
 */
export class KvSimulator {
  readonly backend: KvBackend;
  readonly groups: Group[];
  readonly log = new StepLog();
  readonly model: ModelProfile;
  time = 0;
  step = 0;
  private nextArrival = 0;
  private waiting: Group[] = [];
  private swapped: Group[] = [];
  private running: Group[] = [];
  private admitCounter = 0;
  private finished = 0;
  private preemptions = 0;
  private swappedTokens = 0;
  private recomputedTokens = 0;
  private generatedTokens = 0;
  private readonly maxSteps: number;

  constructor(
    readonly trace: TraceRequest[],
    readonly config: SimConfig,
    model: ModelProfile = LLAMA7B_A100,
  ) {
    validateConfig(config);
    this.model = model;
    const { blockSize: bs, numBlocks, systemPrompt, n } = config;
    const shared = systemPrompt > 0;
    this.backend =
      config.allocator === 'paged' ? new PagedKv(numBlocks, bs, systemPrompt, shared) : new ContiguousKv(numBlocks, bs);
    const rng = new Rng(config.seed ^ 0x5eed);
    let tokens = 0;
    this.groups = trace.map((req, id) => {
      const g: Group = {
        id,
        req,
        prompt: systemPrompt + req.prompt,
        seqs: [],
        state: 'waiting',
        admitOrder: -1,
        admitTime: -1,
        firstTokenTime: -1,
        finishTime: -1,
        preemptions: 0,
        swap: null,
      };
      g.seqs = sampleTargets(req, n, rng).map((target, index): Seq => ({
        group: g,
        index,
        len: 0,
        generated: 0,
        target,
        done: false,
        table: [],
      }));
      tokens += g.prompt + req.output * n;
      const need = this.backend.footprint(g);
      if (need > numBlocks) {
        // A server cannot serve a request whose KV never fits: it is rejected, as a real one would.
        const what =
          config.allocator === 'paged'
            ? `${g.prompt} prompt + ${req.output} output tokens`
            : `a reservation of ${g.prompt} prompt + ${req.maxTokens} max_tokens`;
        g.state = 'rejected';
        this.rejected++;
        this.rejectMessage ??= `Request ${id + 1} needs ${need.toLocaleString('en-US')} blocks (${what}${n > 1 ? `, × ${n} samples` : ''}, ${bs} tokens per block) but the ${config.allocator} KV memory has only ${numBlocks.toLocaleString('en-US')} blocks.`;
      }
      return g;
    });
    this.maxSteps = 4 * tokens + 1000;
    if (this.rejected === this.groups.length)
      throw new CapacityError(`${this.rejectMessage} Give the KV cache more memory.`);
    this.finished = this.rejected;
  }

  /** Requests whose KV can never fit in this memory, and why the first one cannot. */
  rejected = 0;
  rejectMessage: string | undefined;

  get done(): boolean {
    return this.finished === this.groups.length;
  }

  /** Running, waiting and preempted (swapped, or waiting to recompute) request counts. */
  counts(): { running: number; waiting: number; preempted: number; swapped: number } {
    return {
      running: this.liveSeqCount,
      waiting: this.waiting.length,
      preempted: this.swapped.length + this.preemptedWaiting,
      swapped: this.swapped.length,
    };
  }

  /** Sequences running now, kept as a counter: scanning queues every step would dominate long runs. */
  private liveSeqCount = 0;
  /** Requests in the waiting queue because they were preempted (recompute). */
  private preemptedWaiting = 0;

  runningGroups(): readonly Group[] {
    return this.running;
  }

  private arrive(): void {
    while (this.nextArrival < this.groups.length && this.groups[this.nextArrival].req.arrival <= this.time) {
      const g = this.groups[this.nextArrival++];
      if (g.state === 'waiting') this.waiting.push(g);
    }
  }

  private runningSeqs(): number {
    return this.liveSeqCount;
  }

  private liveSeqs(g: Group): number {
    let n = 0;
    for (const s of g.seqs) if (!s.done) n++;
    return n;
  }

  private preempt(victim: Group): void {
    victim.preemptions++;
    this.preemptions++;
    this.liveSeqCount -= this.liveSeqs(victim);
    victim.state = 'waiting';
    if (this.config.preemption === 'swap') {
      const t = this.backend.swapOut(victim);
      this.swappedTokens += t;
      this.stepSwap += t;
      victim.state = 'swapped';
      this.swapped.push(victim);
    } else {
      for (const s of victim.seqs) {
        this.backend.releaseSeq(s);
        s.len = 0;
      }
      this.waiting.unshift(victim);
      this.preemptedWaiting++;
    }
  }

  private stepSwap = 0;
  // Reused every step: a 10,000-request run has over 100,000 steps.
  private readonly firsts: Group[] = [];
  private readonly finishedNow: Group[] = [];

  /** One model step. Returns false once every request has finished. */
  advance(hooks: SimHooks = {}): boolean {
    if (this.done) return false;
    if (this.step > this.maxSteps) throw new InvariantError(`no progress after ${this.step} steps`);
    this.arrive();
    let prefill = 0;
    const stepPreempt = this.preemptions;
    this.stepSwap = 0;
    const be = this.backend;

    // Swapped-out requests come back first, before anything new is admitted.
    while (
      this.swapped.length &&
      be.canSwapIn(this.swapped[0]) &&
      this.runningSeqs() + this.liveSeqs(this.swapped[0]) <= this.config.maxBatch
    ) {
      const g = this.swapped.shift()!;
      const t = be.swapIn(g);
      this.swappedTokens += t;
      this.stepSwap += t;
      g.state = 'running';
      g.admitOrder = this.admitCounter++;
      this.liveSeqCount += this.liveSeqs(g);
      this.running.push(g);
    }
    let headBlocked = false;
    const mayAdmit =
      this.config.batching === 'continuous'
        ? this.swapped.length === 0
        : this.running.length === 0 && this.swapped.length === 0;
    if (mayAdmit) {
      while (this.waiting.length) {
        const g = this.waiting[0];
        if (this.runningSeqs() + this.liveSeqs(g) > this.config.maxBatch) break;
        if (!be.canAdmit(g)) {
          headBlocked = true;
          break;
        }
        this.waiting.shift();
        if (g.preemptions > 0) this.preemptedWaiting--;
        this.liveSeqCount += this.liveSeqs(g);
        be.admit(g);
        g.state = 'running';
        g.admitOrder = this.admitCounter++;
        if (g.admitTime < 0) g.admitTime = this.time;
        let t = g.prompt;
        for (const s of g.seqs) if (!s.done) t += s.generated;
        if (g.preemptions > 0) this.recomputedTokens += t;
        prefill += t;
        this.running.push(g);
      }
    }

    // External fragmentation: free memory exists for the next request, but no hole fits it.
    let external = 0;
    const head = this.swapped[0] ?? this.waiting[0];
    if (head && head.state === 'waiting' && headBlocked && be.freeBlocks() >= be.blocksNeeded(head))
      external = be.freeBlocks() / be.numBlocks;

    if (!this.running.length) {
      if (prefill === 0) {
        // Idle: jump to the next arrival.
        if (this.nextArrival < this.groups.length) {
          this.time = Math.max(this.time, this.groups[this.nextArrival].req.arrival);
          return true;
        }
        throw new InvariantError(`request ${head ? head.id + 1 : '?'} can never be admitted`);
      }
    }

    let decode = 0;
    let context = 0;
    const firsts = this.firsts;
    const finishedNow = this.finishedNow;
    firsts.length = 0;
    finishedNow.length = 0;
    for (let gi = 0; gi < this.running.length; gi++) {
      const g = this.running[gi];
      if (g.state !== 'running') continue;
      for (const s of g.seqs) {
        if (s.done) continue;
        let ok = be.append(s);
        while (!ok) {
          let vi = this.running.length - 1;
          while (this.running[vi].state !== 'running') vi--;
          const victim = this.running[vi];
          this.preempt(victim);
          if (victim === g) break;
          ok = be.append(s);
        }
        if (!ok) break;
        s.generated++;
        decode++;
        context += s.len;
        if (s.generated >= s.target) {
          s.done = true;
          this.liveSeqCount--;
          be.releaseSeq(s);
        }
      }
      if (g.state !== 'running') continue;
      if (g.firstTokenTime < 0) firsts.push(g);
      if (g.seqs.every((s) => s.done)) {
        g.state = 'finished';
        finishedNow.push(g);
      }
    }
    if (finishedNow.length || this.preemptions !== stepPreempt)
      this.running = this.running.filter((g) => g.state === 'running');
    this.generatedTokens += decode;

    const dt = stepSeconds(
      { prefillTokens: prefill, decodeTokens: decode, contextTokens: context, swapTokens: this.stepSwap },
      this.model,
    );
    const end = this.time + dt;
    for (const g of firsts) g.firstTokenTime = end;
    for (const g of finishedNow) {
      g.finishTime = end;
      this.finished++;
    }

    const bs = be.blockSize;
    const allocated = be.allocatedBlocks() * bs;
    const live = be.liveSlots();
    let internal: number;
    if (be.kind === 'paged') internal = allocated - live;
    else {
      internal = 0;
      for (const g of this.running) for (const s of g.seqs) if (!s.done) internal += Math.ceil(s.len / bs) * bs - s.len;
    }
    const c = this.counts();
    // Order of STEP_COLUMNS.
    this.log.push(
      this.time,
      dt,
      c.running,
      c.waiting,
      c.preempted,
      allocated,
      live,
      allocated - live - internal,
      internal,
      external,
      decode,
      prefill,
      this.preemptions - stepPreempt,
    );
    this.time = end;
    this.step++;
    hooks.onStep?.(this);
    return !this.done;
  }

  run(hooks: SimHooks = {}): SimSummary {
    while (this.advance(hooks));
    return this.summary();
  }

  summary(): SimSummary {
    const L = this.log;
    const alloc = L.col('allocatedSlots');
    const live = L.col('liveSlots');
    const over = L.col('overReservedSlots');
    const internal = L.col('internalSlots');
    const total = this.backend.numBlocks * this.backend.blockSize;
    let waste = 0;
    let overR = 0;
    let intR = 0;
    let counted = 0;
    for (let i = 0; i < L.length; i++) {
      if (alloc[i] <= 0) continue;
      waste += (alloc[i] - live[i]) / alloc[i];
      overR += over[i] / alloc[i];
      intR += internal[i] / alloc[i];
      counted++;
    }
    const mean = (col: Float64Array) => {
      let s = 0;
      for (let i = 0; i < col.length; i++) s += col[i];
      return col.length ? s / col.length : 0;
    };
    let peak = 0;
    for (const r of L.col('running')) peak = Math.max(peak, r);
    const lat = this.groups.filter((g) => g.finishTime >= 0).map((g) => g.finishTime - g.req.arrival);
    const sorted = Float64Array.from(lat).sort();
    const q = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);
    const done = this.groups.filter((g) => g.finishTime >= 0);
    const first = this.groups.length ? this.groups[0].req.arrival : 0;
    const span = Math.max(this.time - first, 1e-9);
    let liveShare = 0;
    for (let i = 0; i < L.length; i++) liveShare += live[i] / total;
    return {
      allocator: this.backend.kind,
      requests: this.groups.length,
      steps: L.length,
      simSeconds: this.time,
      waste: counted ? waste / counted : 0,
      overReservation: counted ? overR / counted : 0,
      internalFragmentation: counted ? intR / counted : 0,
      externalFragmentation: mean(L.col('externalFrag')),
      kvInUse: L.length ? liveShare / L.length : 0,
      meanRunning: mean(L.col('running')),
      peakRunning: peak,
      meanWaiting: mean(L.col('waiting')),
      tokensPerStep: mean(L.col('decodeTokens')),
      throughputTokPerS: this.generatedTokens / span,
      requestsPerS: done.length / span,
      meanLatencyS: lat.length ? lat.reduce((a, b) => a + b, 0) / lat.length : 0,
      p50LatencyS: q(0.5),
      p99LatencyS: q(0.99),
      meanTtftS: done.length ? done.reduce((a, g) => a + (g.firstTokenTime - g.req.arrival), 0) / done.length : 0,
      normalizedLatencyS: done.length
        ? done.reduce((a, g) => a + (g.finishTime - g.req.arrival) / Math.max(...g.seqs.map((s) => s.target)), 0) /
          done.length
        : 0,
      preemptions: this.preemptions,
      rejected: this.rejected,
      rejectMessage: this.rejectMessage ?? null,
      cowCopies: this.backend.cowCopies,
      swappedTokens: this.swappedTokens,
      recomputedTokens: this.recomputedTokens,
    };
  }

  /** Throws if any allocator invariant is broken. */
  check(): void {
    this.backend.check(this.groups);
    for (const g of this.running)
      if (g.state !== 'running') throw new InvariantError(`request ${g.id} in the running list is ${g.state}`);
    for (const g of this.swapped)
      if (g.seqs.some((s) => s.table.length))
        throw new InvariantError(`swapped request ${g.id} still holds GPU blocks`);
    for (const g of this.waiting)
      if (g.seqs.some((s) => s.table.length)) throw new InvariantError(`waiting request ${g.id} holds blocks`);
  }
}

export function simulate(
  trace: TraceRequest[],
  config: Partial<SimConfig> & Pick<SimConfig, 'allocator' | 'blockSize' | 'numBlocks'>,
  hooks: SimHooks = {},
): { summary: SimSummary; sim: KvSimulator } {
  const full: SimConfig = {
    batching: 'continuous',
    preemption: 'recompute',
    systemPrompt: 0,
    n: 1,
    maxBatch: DEFAULT_MAX_BATCH,
    seed: 1,
    ...config,
  };
  const sim = new KvSimulator(trace, full);
  const summary = sim.run(hooks);
  return { summary, sim };
}
