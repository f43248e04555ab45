import { stepSeconds, type ModelProfile, type StepWork } from '../kvcache/costModel';
import { InvariantError } from '../kvcache/pagedKv';
import { BlockPool, ROOT_HASH, blockHash } from './blockPool';
import { Heap } from './queue';
import { tokenOf, type Segment, type ServeRequest } from './workload';

export type Schedule = 'fcfs' | 'spf' | 'priority';

export interface EngineConfig {
  model: ModelProfile;
  numBlocks: number;
  blockSize: number;
  /** Most sequences running at once (vLLM's max_num_seqs). */
  maxBatch: number;
  schedule: Schedule;
  /** Chunked prefill: at most `prefillChunk` tokens per step, decodes first (vLLM's max_num_batched_tokens). */
  chunkedPrefill: boolean;
  prefillChunk: number;
  prefixCaching: boolean;
  /** Requests arriving while this many wait are rejected (HTTP 429); Infinity = never. */
  maxQueue: number;
  /** Keep every cached block's tokens so check() can recompute the hash chains (tests); off by default. */
  audit?: boolean;
}

export const JOB_WAITING = 0;
export const JOB_RUNNING = 1;
export const JOB_DONE = 2;
export const JOB_REJECTED = 3;

/**
 * Block hashes depend only on a request's content (its prompt segments, its output source) and the
 * block size, and a QPS sweep replays the same requests at every load (atQps copies each request
 * with a new arrival time but the same `segs`). One append-only list per content, shared by every
 * Job of it, so each block is hashed once per sweep instead of once per load point; a list
 * disappears with its workload.
 */
const hashLists = new WeakMap<Segment[], Map<number, number[]>>();

function sharedHashes(r: ServeRequest, blockSize: number): number[] {
  let byKey = hashLists.get(r.segs);
  if (!byKey) hashLists.set(r.segs, (byKey = new Map()));
  // The segments fix the prompt; the output source and block size fix the rest (sizes < 2^16).
  const key = r.outSrc * 65536 + blockSize;
  let list = byKey.get(key);
  if (!list) byKey.set(key, (list = []));
  return list;
}

const NO_TOKENS = new Int32Array(0);

/** One request inside a replica. */
export class Job {
  state = JOB_WAITING;
  /** Tokens whose K/V are in memory. */
  len = 0;
  generated = 0;
  /** Prompt (and recomputed) tokens still to prefill; 0 once decoding. */
  prefillLeft = 0;
  blocks: number[] = [];
  /** Hashes of this sequence's full blocks, in order (prefix caching). */
  hashes: number[] = [];
  admitOrder = -1;
  firstTokenTime = -1;
  finishTime = -1;
  preemptions = 0;
  /** Prompt tokens served from the prefix cache at first admission. */
  cachedTokens = -1;
  /** Blocks whose hash is registered (prefix caching). */
  committed = 0;
  /** The admission check's last answer and the pool version and length it holds for. */
  checkVersion = -1;
  checkLen = -1;
  checkHits = 0;
  checkNeed = 0;
  constructor(readonly r: ServeRequest) {}
}

/** What one step did, for monitors and trace export. */
export interface StepInfo {
  t0: number;
  dt: number;
  prefill: number;
  decode: number;
  context: number;
  running: number;
  waiting: number;
  usedBlocks: number;
  preempted: number;
  /** Model steps this record covers (decode-only stretches are reported as one record). */
  steps: number;
}

export type StepHook = (e: Engine, s: StepInfo) => void;

export function validateEngine(c: EngineConfig): void {
  if (!Number.isInteger(c.blockSize) || c.blockSize < 1 || c.blockSize > 256)
    throw new RangeError(`Block size must be 1 to 256 tokens; got ${c.blockSize}.`);
  if (!Number.isInteger(c.numBlocks) || c.numBlocks < 1 || c.numBlocks > 1 << 22)
    throw new RangeError(`KV memory must hold 1 to ${(1 << 22).toLocaleString('en-US')} blocks; got ${c.numBlocks}.`);
  if (!Number.isInteger(c.maxBatch) || c.maxBatch < 1 || c.maxBatch > 4096)
    throw new RangeError(`Max batch must be 1 to 4096 sequences; got ${c.maxBatch}.`);
  if (c.chunkedPrefill && (!Number.isInteger(c.prefillChunk) || c.prefillChunk < c.maxBatch))
    throw new RangeError(
      `The chunked-prefill token budget (${c.prefillChunk}) must be a whole number at least the max batch (${c.maxBatch}), or decodes alone could fill every step.`,
    );
  if (!(c.maxQueue >= 0)) throw new RangeError(`Queue limit must be 0 or more; got ${c.maxQueue}.`);
}

const ORDERS: Record<Schedule, (a: Job, b: Job) => boolean> = {
  fcfs: (a, b) => a.r.id < b.r.id,
  spf: (a, b) => a.r.prompt < b.r.prompt || (a.r.prompt === b.r.prompt && a.r.id < b.r.id),
  priority: (a, b) => a.r.priority < b.r.priority || (a.r.priority === b.r.priority && a.r.id < b.r.id),
};

const MAX_STEPS = 50_000_000;

/**
 * One serving replica, stepped one model iteration at a time with the KV-cache lab's semantics
 * (src/sim/kvcache/simulator.ts): continuous batching, a new request admitted while its prompt
 * plus one token of headroom fits in free blocks and the batch has room, one token per running
 * sequence per step, the latest-admitted request preempted (recompute) when a block is needed and
 * none is free, and step time from the same roofline cost model (stepSeconds). On that common
 * ground it reproduces KvSimulator's timings exactly (test/sim/serving.test.ts); it adds what a
 * serving study needs and the allocator lab does not: scheduling policies, chunked prefill,
 * prefix caching, a queue limit, requests submitted while running (a load balancer in front),
 * and counting instead of storing every token, so a 10,000-request sweep point takes milliseconds.
 */
export class Engine {
  readonly pool: BlockPool;
  readonly jobs: Job[] = [];
  time = 0;
  step = 0;
  private next = 0;
  private readonly waitingQ: Heap<Job>;
  /** Preempted requests resume first, latest preempted first (vLLM puts them back at the front). */
  private readonly resume: Job[] = [];
  private readonly running: Job[] = [];
  private admitCounter = 0;
  // Counters the monitor and the summary read.
  preemptions = 0;
  rejected = 0;
  rejectedQueue = 0;
  finished = 0;
  busyTime = 0;
  flops = 0;
  memBytes = 0;
  decodeTokens = 0;
  prefillTokens = 0;
  promptTokens = 0;
  cachedTokens = 0;
  private readonly scratch: Int32Array;
  /** Most decode-only steps taken at once (monitors lower it for finer time series). */
  fastForwardCap = Infinity;
  /**
   * The next arrival anywhere, set by a load balancer in front: a request not routed yet may still
   * come here, so a decode-only stretch must not run past it.
   */
  horizon = Infinity;

  constructor(
    readonly config: EngineConfig,
    requests: readonly ServeRequest[] = [],
    private readonly hook?: StepHook,
  ) {
    validateEngine(config);
    this.pool = new BlockPool(config.numBlocks, config.blockSize, config.prefixCaching, Boolean(config.audit));
    this.waitingQ = new Heap(ORDERS[config.schedule]);
    this.scratch = new Int32Array(config.blockSize);
    for (const r of requests) this.submit(r);
  }

  /** Hands the replica a request (arrivals must come in time order). */
  submit(r: ServeRequest): Job {
    const last = this.jobs[this.jobs.length - 1];
    if (last && r.arrival < last.r.arrival)
      throw new RangeError(
        `request ${r.id} arrives at ${r.arrival} s, before request ${last.r.id} at ${last.r.arrival} s`,
      );
    const j = new Job(r);
    this.jobs.push(j);
    return j;
  }

  get runningCount(): number {
    return this.running.length;
  }
  get waitingCount(): number {
    return this.waitingQ.size + this.resume.length;
  }
  /** Requests that have arrived (admitted to the queue or rejected). */
  get arrived(): number {
    return this.next;
  }
  /** Requests that finished in the step just taken (valid inside a step hook). */
  get finishedInStep(): readonly Job[] {
    return this.finishedNow;
  }
  /** Submitted and not yet finished or rejected: what a least-outstanding-requests balancer counts. */
  get outstanding(): number {
    return this.jobs.length - this.finished - this.rejected;
  }

  /** Blocks a request occupies at its final length: more than the pool means it can never run. */
  footprint(r: ServeRequest): number {
    return Math.ceil((r.prompt + r.output) / this.config.blockSize);
  }

  /** When this replica next does something: now if it has work, the next arrival if idle, else never. */
  nextTime(): number {
    if (this.running.length || this.waitingCount) return this.time;
    if (this.next < this.jobs.length) return Math.max(this.time, this.jobs[this.next].r.arrival);
    return Infinity;
  }

  get done(): boolean {
    return this.finished + this.rejected === this.jobs.length;
  }

  private arrive(): void {
    while (this.next < this.jobs.length && this.jobs[this.next].r.arrival <= this.time) {
      const j = this.jobs[this.next++];
      if (this.footprint(j.r) > this.config.numBlocks || this.waitingCount >= this.config.maxQueue) {
        if (this.footprint(j.r) <= this.config.numBlocks) this.rejectedQueue++;
        j.state = JOB_REJECTED;
        j.finishTime = this.time;
        this.rejected++;
        continue;
      }
      this.waitingQ.push(j);
    }
  }

  private headWaiting(): Job | undefined {
    return this.resume.length ? this.resume[this.resume.length - 1] : this.waitingQ.peek();
  }
  private popWaiting(): void {
    if (this.resume.length) this.resume.pop();
    else this.waitingQ.pop();
  }

  /** Token ids of positions [from, from + count) of a job's sequence (prompt runs, then output). */
  private tokens(j: Job, from: number, count: number): Int32Array {
    const out = this.scratch;
    const r = j.r;
    let pos = from;
    let k = 0;
    let base = 0;
    for (const s of r.segs) {
      if (k === count) break;
      if (pos < base + s.len) {
        while (k < count && pos < base + s.len) out[k++] = tokenOf(s.src, pos++ - base);
      }
      base += s.len;
    }
    while (k < count) out[k++] = tokenOf(r.outSrc, pos++ - r.prompt);
    return out;
  }

  /** Makes sure the first `n` full-block hashes of the job's sequence are known. */
  private ensureHashes(j: Job, n: number): void {
    const bs = this.config.blockSize;
    if (j.hashes.length >= n) return;
    if (!j.hashes.length) j.hashes = sharedHashes(j.r, bs);
    while (j.hashes.length < n) {
      const i = j.hashes.length;
      j.hashes.push(blockHash(i ? j.hashes[i - 1] : ROOT_HASH, this.tokens(j, i * bs, bs), 0, bs));
    }
  }

  /** Cached leading blocks of the job's current sequence (at least one token is always computed). */
  private hitBlocks(j: Job, len: number): number {
    if (!this.config.prefixCaching) return 0;
    const maxHit = Math.floor((len - 1) / this.config.blockSize);
    this.ensureHashes(j, maxHit);
    let h = 0;
    while (h < maxHit && this.pool.lookup(j.hashes[h]) >= 0) h++;
    return h;
  }

  /** KvSimulator's admission need (PagedKv.blocksNeeded with n = 1), less blocks already cached. */
  private blocksNeeded(j: Job, hits: number): { need: number; idleHits: number } {
    const bs = this.config.blockSize;
    const p = j.r.prompt;
    let need = Math.ceil(p / bs);
    if (j.generated > 0) need += Math.ceil((p + j.generated) / bs) - Math.floor(p / bs);
    need = Math.min(need + 1, this.footprint(j.r));
    let idle = 0;
    for (let i = 0; i < hits; i++) if (this.pool.refs[this.pool.lookup(j.hashes[i])] === 0) idle++;
    return { need: need - hits + idle, idleHits: idle };
  }

  private commitBlocks(j: Job, upTo: number): void {
    if (!this.config.prefixCaching) return;
    this.ensureHashes(j, upTo);
    const bs = this.config.blockSize;
    const pool = this.pool;
    while (j.committed < upTo) {
      const i = j.committed++;
      const b = j.blocks[i];
      const h = j.hashes[i];
      // The hash is known already; the tokens are only generated when the block is registered.
      if (pool.wouldRegister(b, h))
        pool.register(
          b,
          i ? j.hashes[i - 1] : ROOT_HASH,
          h,
          pool.keepTokens ? this.tokens(j, i * bs, bs) : NO_TOKENS,
          0,
        );
    }
  }

  private preempt(v: Job): void {
    v.preemptions++;
    this.preemptions++;
    this.release(v);
    v.len = 0;
    v.prefillLeft = 0;
    v.state = JOB_WAITING;
    if (this.config.schedule === 'priority') this.waitingQ.push(v);
    else this.resume.push(v);
  }

  private release(j: Job): void {
    // Deepest block first, so under LRU a prefix's tail is evicted before its head (as vLLM does).
    for (let i = j.blocks.length - 1; i >= 0; i--) this.pool.release(j.blocks[i]);
    j.blocks = [];
    j.committed = 0;
  }

  /** The preemption victim: the latest-admitted running request (lowest priority first under 'priority'). */
  private victim(): Job {
    const run = this.running;
    let vi = run.length - 1;
    while (run[vi].state !== JOB_RUNNING) vi--;
    if (this.config.schedule !== 'priority') return run[vi];
    let best = run[vi];
    for (let i = vi - 1; i >= 0; i--) {
      const j = run[i];
      if (j.state === JOB_RUNNING && j.r.priority > best.r.priority) best = j;
    }
    return best;
  }

  private readonly firsts: Job[] = [];
  private readonly work: StepWork = { prefillTokens: 0, decodeTokens: 0, contextTokens: 0, swapTokens: 0 };
  private readonly finishedNow: Job[] = [];

  /** One model step. Returns false when nothing is left to do (until more requests are submitted). */
  advance(): boolean {
    if (this.step > MAX_STEPS) throw new InvariantError(`no progress after ${this.step} steps`);
    this.arrive();
    const c = this.config;
    const bs = c.blockSize;
    const pool = this.pool;
    let prefill = 0;
    const stepPreempt = this.preemptions;

    for (;;) {
      const j = this.headWaiting();
      if (!j) break;
      if (this.running.length + 1 > c.maxBatch) break;
      const len = j.r.prompt + j.generated;
      // A blocked head is asked again every step; its answer changes only with the pool.
      if (j.checkVersion !== pool.version || j.checkLen !== len) {
        j.checkHits = this.hitBlocks(j, len);
        j.checkNeed = this.blocksNeeded(j, j.checkHits).need;
        j.checkVersion = pool.version;
        j.checkLen = len;
      }
      const hits = j.checkHits;
      const need = j.checkNeed;
      if (need > pool.free()) break;
      this.popWaiting();
      for (let i = 0; i < hits; i++) {
        const b = pool.lookup(j.hashes[i]);
        pool.acquire(b);
        j.blocks.push(b);
      }
      j.committed = hits;
      const total = Math.ceil(len / bs);
      for (let i = hits; i < total; i++) j.blocks.push(pool.alloc());
      j.len = len;
      const compute = len - hits * bs;
      if (j.cachedTokens < 0) {
        j.cachedTokens = Math.min(hits * bs, j.r.prompt);
        this.cachedTokens += j.cachedTokens;
        this.promptTokens += j.r.prompt;
      }
      j.state = JOB_RUNNING;
      j.admitOrder = this.admitCounter++;
      if (c.chunkedPrefill) j.prefillLeft = compute;
      else {
        prefill += compute;
        this.commitBlocks(j, Math.floor(len / bs));
      }
      this.running.push(j);
    }

    if (!this.running.length) {
      if (this.next < this.jobs.length) {
        this.time = Math.max(this.time, this.jobs[this.next].r.arrival);
        return true;
      }
      if (this.waitingCount) throw new InvariantError(`request ${this.headWaiting()!.r.id} can never be admitted`);
      return false;
    }

    const run = this.running;
    // Not with prefix caching and a queue: a skipped window would allocate before it commits, and
    // the order of evictions and registrations decides what the queue's head finds cached.
    if (prefill === 0 && this.fastForwardCap > 1 && !(c.prefixCaching && this.waitingCount) && this.fastForward())
      return true;
    if (c.chunkedPrefill) {
      let decoding = 0;
      for (const j of run) if (j.prefillLeft === 0) decoding++;
      let budget = c.prefillChunk - decoding;
      for (let i = 0; i < run.length && budget > 0; i++) {
        const j = run[i];
        if (j.prefillLeft === 0) continue;
        const take = Math.min(j.prefillLeft, budget);
        j.prefillLeft -= take;
        budget -= take;
        prefill += take;
        if (j.prefillLeft === 0) {
          j.prefillLeft = -1; // completes this step: decodes below, then counts as decoding
          this.commitBlocks(j, Math.floor(j.len / bs));
        }
      }
    }

    let decode = 0;
    let context = 0;
    const firsts = this.firsts;
    const finishedNow = this.finishedNow;
    firsts.length = 0;
    finishedNow.length = 0;
    for (let i = 0; i < run.length; i++) {
      const j = run[i];
      if (j.state !== JOB_RUNNING || j.prefillLeft > 0) continue;
      j.prefillLeft = 0;
      if (j.len % bs === 0) {
        let ok = pool.free() > 0;
        while (!ok) {
          const v = this.victim();
          this.preempt(v);
          if (v === j) break;
          ok = pool.free() > 0;
        }
        if (!ok) continue;
        j.blocks.push(pool.alloc());
      }
      j.len++;
      j.generated++;
      decode++;
      context += j.len;
      if (this.config.prefixCaching && j.len % bs === 0) this.commitBlocks(j, j.len / bs);
      if (j.firstTokenTime < 0) firsts.push(j);
      if (j.generated >= j.r.output) {
        j.state = JOB_DONE;
        this.release(j);
        j.hashes = [];
        finishedNow.push(j);
      }
    }
    if (finishedNow.length || this.preemptions !== stepPreempt) {
      // Compact in place: a new array per finishing step is most of the garbage of a long run.
      let k = 0;
      for (let i = 0; i < run.length; i++) if (run[i].state === JOB_RUNNING) run[k++] = run[i];
      run.length = k;
    }

    const m = c.model;
    const w = this.work;
    w.prefillTokens = prefill;
    w.decodeTokens = decode;
    w.contextTokens = context;
    const dt = stepSeconds(w, m);
    const end = this.time + dt;
    for (const j of firsts) if (j.firstTokenTime < 0) j.firstTokenTime = end;
    for (const j of finishedNow) {
      j.finishTime = end;
      this.finished++;
    }
    this.busyTime += dt;
    this.flops += 2 * m.params * (prefill + decode);
    this.memBytes += m.weightBytes + context * m.kvBytesPerToken;
    this.decodeTokens += decode;
    this.prefillTokens += prefill;
    if (this.hook)
      this.hook(this, {
        t0: this.time,
        dt,
        prefill,
        decode,
        context,
        running: this.running.length,
        waiting: this.waitingCount,
        usedBlocks: pool.used(),
        preempted: this.preemptions - stepPreempt,
        steps: 1,
      });
    this.time = end;
    this.step++;
    return true;
  }

  /**
   * Steps in which nothing but decoding happens (no admission, arrival, first token, finish or
   * preemption) differ only in their context length, which grows by the batch size each step. Such
   * a stretch is taken at once: blocks are allocated per sequence, and the step times are still
   * summed one by one with the same cost function, so timings equal step-by-step simulation
   * exactly (the KvSimulator test checks it) at a cost per step of a few flops instead of one
   * pass over the batch. Returns false when the next step has an event in it.
   */
  private fastForward(): boolean {
    const run = this.running;
    const bs = this.config.blockSize;
    let minLeft = Infinity;
    let ctx = 0;
    for (let i = 0; i < run.length; i++) {
      const j = run[i];
      if (j.prefillLeft !== 0 || j.firstTokenTime < 0) return false;
      const left = j.r.output - j.generated;
      if (left < minLeft) minLeft = left;
      ctx += j.len;
    }
    // The step that finishes someone runs normally.
    let k = Math.min(minLeft - 1, this.fastForwardCap);
    if (k < 2) return false;
    // Every step must find a free block for each sequence that crosses a block boundary.
    const need = (steps: number) => {
      let n = 0;
      for (let i = 0; i < run.length; i++) n += Math.ceil((run[i].len + steps) / bs) - Math.ceil(run[i].len / bs);
      return n;
    };
    const free = this.pool.free();
    if (need(k) > free) {
      let lo = 0;
      let hi = k;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (need(mid) <= free) lo = mid;
        else hi = mid - 1;
      }
      k = lo;
      if (k < 2) return false;
    }
    // Steps after the first must start before the next arrival, which their start would admit.
    const nextArrival = Math.min(
      this.horizon,
      this.next < this.jobs.length ? this.jobs[this.next].r.arrival : Infinity,
    );
    const m = this.config.model;
    const w = this.work;
    const B = run.length;
    w.prefillTokens = 0;
    w.decodeTokens = B;
    let t = this.time;
    let steps = 0;
    let busy = 0;
    let mem = 0;
    let context = ctx;
    while (steps < k && (steps === 0 || t < nextArrival)) {
      context += B;
      w.contextTokens = context;
      const dt = stepSeconds(w, m);
      this.busyTime += dt;
      busy += dt;
      mem += m.weightBytes + context * m.kvBytesPerToken;
      t += dt;
      steps++;
    }
    for (let i = 0; i < B; i++) {
      const j = run[i];
      const target = Math.ceil((j.len + steps) / bs);
      while (j.blocks.length < target) j.blocks.push(this.pool.alloc());
      j.len += steps;
      j.generated += steps;
      if (this.config.prefixCaching) this.commitBlocks(j, Math.floor(j.len / bs));
    }
    this.finishedNow.length = 0;
    this.flops += 2 * m.params * B * steps;
    this.memBytes += mem;
    this.decodeTokens += B * steps;
    if (this.hook)
      this.hook(this, {
        t0: this.time,
        dt: busy,
        prefill: 0,
        decode: B * steps,
        context,
        running: B,
        waiting: this.waitingCount,
        usedBlocks: this.pool.used(),
        preempted: 0,
        steps,
      });
    this.time = t;
    this.step += steps;
    return true;
  }

  /** Runs until every submitted request has finished or been rejected. */
  run(): this {
    while (this.advance());
    return this;
  }

  /** Throws if the pool or any running sequence's table is inconsistent. */
  check(): void {
    this.pool.check();
    const bs = this.config.blockSize;
    const counted = new Int32Array(this.pool.numBlocks);
    for (const j of this.running) {
      if (j.state !== JOB_RUNNING)
        throw new InvariantError(`request ${j.r.id} in the running list is in state ${j.state}`);
      if (j.blocks.length !== Math.ceil(j.len / bs))
        throw new InvariantError(`request ${j.r.id} holds ${j.blocks.length} blocks for ${j.len} tokens`);
      for (const b of j.blocks) counted[b]++;
      // The committed part of the table is a hash chain: block i registered under hashes[i], parent hashes[i - 1].
      for (let i = 0; i < j.committed; i++) {
        const b = j.blocks[i];
        if (this.pool.hash[b] >= 0) {
          if (this.pool.hash[b] !== j.hashes[i])
            throw new InvariantError(`request ${j.r.id} block ${i} is registered under another prefix`);
          if (this.pool.parentHash[b] !== (i ? j.hashes[i - 1] : ROOT_HASH))
            throw new InvariantError(`request ${j.r.id} block ${i} has the wrong parent`);
          // A hit must hand back exactly the tokens this request has at those positions.
          const want = this.tokens(j, i * bs, bs);
          for (let k = 0; k < bs; k++)
            if (this.pool.tokens[b * bs + k] !== want[k])
              throw new InvariantError(`request ${j.r.id} reads wrong cached tokens in block ${i} (block ${b})`);
        }
      }
    }
    for (let b = 0; b < this.pool.numBlocks; b++)
      if (counted[b] !== this.pool.refs[b])
        throw new InvariantError(`block ${b} has ${this.pool.refs[b]} references but ${counted[b]} tables hold it`);
  }
}
