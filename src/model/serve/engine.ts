import { PagedKv } from '../../sim/kvcache/pagedKv';
import type { Group, Seq } from '../../sim/kvcache/state';
import { Rng } from '../rng';
import { cachedForward, type CachedStep, type KvView, type ServeModel } from './cachedForward';
import { sampleToken, validateSampling, type Sampling } from './sampling';

/**
 * Generation for a batch of prompts with continuous batching (Orca, Yu et al. OSDI 2022) and a
 * paged KV cache (vLLM, Kwon et al. SOSP 2023). The block allocator is the KV-cache lab's own
 * (src/sim/kvcache/pagedKv.ts): here it hands out real blocks, and each layer's keys and values
 * live in pools laid out [block][slot][head][headDim], the paged decode kernel's layout
 * (src/kernels/kvcache). Every scheduler iteration admits waiting requests while blocks and batch
 * slots allow (each is prefilled: its whole prompt in one forward), then advances every other
 * running request by one token. When a token needs a block and none is free, the request
 * admitted last is preempted and recomputed later (vLLM's default), so a run never fails for memory.
 */

export interface GenerationRequest {
  id: number;
  prompt: number[];
  /** Tokens to generate at most. */
  maxNew: number;
  /** Generation stops after this token (inclusive), if given. */
  stopToken?: number;
}

export interface EngineOptions {
  numBlocks: number;
  blockSize: number;
  /** Requests decoded together at most. */
  maxBatch: number;
  sampling: Sampling;
}

export interface StepRecord {
  step: number;
  /** Requests prefilled this step, and the prompt tokens that took. */
  prefilled: number[];
  prefillTokens: number;
  /** Requests that got one decode token. */
  decoded: number[];
  preempted: number[];
  finished: number[];
  freeBlocks: number;
}

export interface GenerationResult {
  id: number;
  tokens: number[];
  /** Logits row that chose each generated token ([tokens.length, V]), for checks and perplexity. */
  logits: Float64Array[];
  preemptions: number;
}

/** One decode token of the last step: what a GPU decode-attention kernel needs to redo it. */
export interface DecodeTrace {
  id: number;
  /** Block table and cached length including the new token (its K/V are in the pool). */
  table: number[];
  len: number;
  /** Per layer, the new token's query and the CPU attention output, [D] each. */
  queries: Float64Array[];
  attention: Float64Array[];
}

/**
 * A batched forward that keeps its own paged KV cache (the GPU forward, ./gpuForward.ts): `prefill`
 * runs a whole sequence from position 0 and stores its keys and values through `table`; `decode`
 * runs one new token per row at position `pos` of its sequence (the row's table already has the
 * slot). Each returns the rows' next-token logits, [rows, V] (prefill: the last row only).
 */
export interface BatchForward {
  prefill(tokens: number[], table: number[]): Promise<Float64Array>;
  decode(rows: { token: number; pos: number; table: number[] }[]): Promise<Float64Array>;
}

/** A logits row a step produced, with the tokens it followed, so a reference forward can redo it. */
export interface EmittedRow {
  id: number;
  prefix: number[];
  logits: Float64Array;
}

export class AdmissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdmissionError';
  }
}

interface Live {
  req: GenerationRequest;
  group: Group;
  seq: Seq;
  out: number[];
  logits: Float64Array[];
  rng: Rng;
  preemptions: number;
}

/** A sequence's keys and values read through its block table from the layer pools. */
class PagedView implements KvView {
  constructor(
    private readonly pools: { k: Float64Array[]; v: Float64Array[] },
    private readonly table: number[],
    private readonly blockSize: number,
    private readonly dModel: number,
    readonly len: number,
  ) {}

  private at(pos: number): number {
    const bs = this.blockSize;
    return (this.table[Math.floor(pos / bs)] * bs + (pos % bs)) * this.dModel;
  }

  key(layer: number, pos: number): Float64Array {
    const o = this.at(pos);
    return this.pools.k[layer].subarray(o, o + this.dModel);
  }

  value(layer: number, pos: number): Float64Array {
    const o = this.at(pos);
    return this.pools.v[layer].subarray(o, o + this.dModel);
  }
}

export class ServeEngine {
  readonly alloc: PagedKv;
  readonly pools: { k: Float64Array[]; v: Float64Array[] };
  private waiting: Live[] = [];
  private running: Live[] = [];
  private admitCounter = 0;
  readonly results = new Map<number, GenerationResult>();
  readonly log: StepRecord[] = [];
  /** The decode tokens of the last step (the pools still hold their keys and values until the next step). */
  lastDecode: DecodeTrace[] = [];
  /** Every logits row the last step produced (prefills' last rows and decode rows). */
  lastRows: EmittedRow[] = [];

  constructor(
    readonly model: ServeModel,
    readonly opts: EngineOptions,
  ) {
    validateSampling(opts.sampling);
    for (const f of ['numBlocks', 'blockSize', 'maxBatch'] as const)
      if (!Number.isInteger(opts[f]) || opts[f] < 1)
        throw new RangeError(`${f} must be a whole number ≥ 1 (got ${opts[f]}).`);
    this.alloc = new PagedKv(opts.numBlocks, opts.blockSize, 0, false);
    const size = opts.numBlocks * opts.blockSize * model.config.dModel;
    const L = model.config.layers;
    this.pools = {
      k: Array.from({ length: L }, () => new Float64Array(size)),
      v: Array.from({ length: L }, () => new Float64Array(size)),
    };
  }

  submit(req: GenerationRequest): void {
    const c = this.model.config;
    if (req.prompt.length < 1) throw new AdmissionError(`request ${req.id} has an empty prompt.`);
    if (!Number.isInteger(req.maxNew) || req.maxNew < 1)
      throw new AdmissionError(`request ${req.id}: max new tokens must be ≥ 1 (got ${req.maxNew}).`);
    // The last generated token is never fed back, so prompt + maxNew − 1 positions are used.
    if (req.prompt.length + req.maxNew - 1 > c.context)
      throw new AdmissionError(
        `request ${req.id}: ${req.prompt.length} prompt + ${req.maxNew} new tokens exceed the model's context of ${c.context}.`,
      );
    const group: Group = {
      id: req.id,
      req: { arrival: 0, prompt: req.prompt.length, output: req.maxNew - 1, maxTokens: req.maxNew - 1 },
      prompt: req.prompt.length,
      seqs: [],
      state: 'waiting',
      admitOrder: 0,
      admitTime: 0,
      firstTokenTime: 0,
      finishTime: 0,
      preemptions: 0,
      swap: null,
    };
    const seq: Seq = { group, index: 0, len: 0, generated: 0, target: req.maxNew - 1, done: false, table: [] };
    group.seqs.push(seq);
    if (this.alloc.footprint(group) > this.opts.numBlocks)
      throw new AdmissionError(
        `request ${req.id} needs ${this.alloc.footprint(group)} blocks at its full length; the pool has ${this.opts.numBlocks}.`,
      );
    this.prompts.set(req.id, req.prompt);
    // Each request draws from its own generator, so its text does not depend on what it was batched with.
    this.waiting.push({
      req,
      group,
      seq,
      out: [],
      logits: [],
      rng: new Rng((this.opts.sampling.seed ^ Math.imul(req.id + 1, 0x9e3779b1)) >>> 0),
      preemptions: 0,
    });
  }

  get busy(): boolean {
    return this.waiting.length > 0 || this.running.length > 0;
  }

  get runningIds(): number[] {
    return this.running.map((r) => r.req.id);
  }

  /** Block picture for the memory map: per block, packed (request, logical block, fill) or 0 when free. */
  cells(): Float64Array {
    const out = new Float64Array(this.opts.numBlocks);
    this.alloc.cells(out);
    return out;
  }

  /** Every submitted request's text so far (prompt + generated), by id. */
  texts(): number[][] {
    const all = [...this.running, ...this.waiting].map((r) => ({ id: r.req.id, tokens: [...r.req.prompt, ...r.out] }));
    for (const [id, res] of this.results) all.push({ id, tokens: [...(this.prompts.get(id) ?? []), ...res.tokens] });
    return all.sort((a, b) => a.id - b.id).map((r) => r.tokens);
  }

  private readonly prompts = new Map<number, number[]>();

  private view(r: Live, len: number): PagedView {
    return new PagedView(this.pools, r.seq.table, this.opts.blockSize, this.model.config.dModel, len);
  }

  /** Writes new tokens' keys and values into the slots of positions from..from+n−1. */
  private store(r: Live, step: CachedStep, from: number, n: number): void {
    const D = this.model.config.dModel;
    const bs = this.opts.blockSize;
    for (let l = 0; l < this.model.config.layers; l++)
      for (let i = 0; i < n; i++) {
        const pos = from + i;
        const o = (r.seq.table[Math.floor(pos / bs)] * bs + (pos % bs)) * D;
        this.pools.k[l].set(step.keys[l].subarray(i * D, (i + 1) * D), o);
        this.pools.v[l].set(step.values[l].subarray(i * D, (i + 1) * D), o);
      }
  }

  private emit(r: Live, all: Float64Array, row: number): void {
    const V = this.model.config.vocab;
    const logits = all.slice(row * V, (row + 1) * V);
    this.lastRows.push({ id: r.req.id, prefix: [...r.req.prompt, ...r.out], logits });
    r.logits.push(logits);
    r.out.push(sampleToken(logits, 0, V, this.opts.sampling, r.rng));
  }

  private done(r: Live): boolean {
    const last = r.out[r.out.length - 1];
    return r.out.length >= r.req.maxNew || (r.req.stopToken !== undefined && last === r.req.stopToken);
  }

  private preemptLast(except: Live): Live | null {
    let victim: Live | null = null;
    for (const r of this.running)
      if (r !== except && (!victim || r.group.admitOrder > victim.group.admitOrder)) victim = r;
    if (!victim) return null;
    this.alloc.releaseSeq(victim.seq);
    victim.seq.len = 0;
    victim.preemptions++;
    this.running.splice(this.running.indexOf(victim), 1);
    this.waiting.unshift(victim);
    return victim;
  }

  private newRecord(): StepRecord {
    this.lastDecode = [];
    this.lastRows = [];
    return {
      step: this.log.length,
      prefilled: [],
      prefillTokens: 0,
      decoded: [],
      preempted: [],
      finished: [],
      freeBlocks: 0,
    };
  }

  /** Admits waiting requests while blocks and batch slots allow; returns them with the tokens to prefill. */
  private admit(rec: StepRecord): { r: Live; tokens: number[] }[] {
    const out: { r: Live; tokens: number[] }[] = [];
    while (
      this.waiting.length &&
      this.running.length < this.opts.maxBatch &&
      this.alloc.canAdmit(this.waiting[0].group)
    ) {
      const r = this.waiting.shift() as Live;
      r.group.admitOrder = ++this.admitCounter;
      // Stored tokens: the prompt, and after a preemption the generated tokens already fed back.
      r.seq.generated = Math.max(0, r.out.length - 1);
      this.alloc.admit(r.group);
      const tokens = [...r.req.prompt, ...r.out.slice(0, r.seq.generated)];
      rec.prefilled.push(r.req.id);
      rec.prefillTokens += tokens.length;
      this.running.push(r);
      out.push({ r, tokens });
    }
    return out;
  }

  /**
   * Gives every running request not just prefilled a slot for its next token, preempting the
   * request admitted last when the pool is full; returns those that still run, with the position.
   */
  private grow(rec: StepRecord, fresh: Set<Live>): { r: Live; pos: number }[] {
    const grown: Live[] = [];
    for (const r of [...this.running]) {
      if (fresh.has(r) || !this.running.includes(r)) continue;
      while (!this.alloc.append(r.seq)) {
        const victim = this.preemptLast(r);
        if (!victim) throw new AdmissionError(`request ${r.req.id} cannot grow even with the whole pool.`);
        rec.preempted.push(victim.req.id);
      }
      r.seq.generated++;
      grown.push(r);
    }
    // A request grown and then preempted by a later one waits for its recompute instead.
    return grown.filter((r) => this.running.includes(r)).map((r) => ({ r, pos: r.seq.len - 1 }));
  }

  private finish(rec: StepRecord): StepRecord {
    for (const r of [...this.running]) {
      if (!this.done(r)) continue;
      this.alloc.releaseSeq(r.seq);
      r.seq.done = true;
      this.running.splice(this.running.indexOf(r), 1);
      this.results.set(r.req.id, { id: r.req.id, tokens: r.out.slice(), logits: r.logits, preemptions: r.preemptions });
      rec.finished.push(r.req.id);
    }
    rec.freeBlocks = this.alloc.freeBlocks();
    this.log.push(rec);
    return rec;
  }

  /** One scheduler iteration, every forward on the CPU in float64 (the reference path). */
  step(): StepRecord {
    const rec = this.newRecord();
    const fresh = new Set<Live>();
    for (const { r, tokens } of this.admit(rec)) {
      const step = cachedForward(this.model, this.view(r, 0), tokens);
      this.store(r, step, 0, tokens.length);
      if (r.out.length === 0) this.emit(r, step.logits, tokens.length - 1);
      fresh.add(r);
    }
    for (const { r, pos } of this.grow(rec, fresh)) {
      const step = cachedForward(this.model, this.view(r, pos), [r.out[r.out.length - 1]]);
      this.store(r, step, pos, 1);
      this.lastDecode.push({
        id: r.req.id,
        table: r.seq.table.slice(),
        len: pos + 1,
        queries: step.queries,
        attention: step.attention,
      });
      this.emit(r, step.logits, 0);
      rec.decoded.push(r.req.id);
    }
    return this.finish(rec);
  }

  /**
   * The same iteration with the forwards on a batched forward that keeps its own KV cache (the
   * GPU): each admitted prompt prefilled, then every other running request's token in ONE decode
   * batch. The allocator, block tables, preemption and sampling are the CPU path's.
   */
  async stepOn(forward: BatchForward): Promise<StepRecord> {
    const rec = this.newRecord();
    const fresh = new Set<Live>();
    for (const { r, tokens } of this.admit(rec)) {
      const logits = await forward.prefill(tokens, r.seq.table.slice());
      if (r.out.length === 0) this.emit(r, logits, 0);
      fresh.add(r);
    }
    const rows = this.grow(rec, fresh);
    if (rows.length) {
      const logits = await forward.decode(
        rows.map(({ r, pos }) => ({ token: r.out[r.out.length - 1], pos, table: r.seq.table.slice() })),
      );
      rows.forEach(({ r }, i) => {
        this.emit(r, logits, i);
        rec.decoded.push(r.req.id);
      });
    }
    return this.finish(rec);
  }

  /** Runs until every submitted request has finished. */
  runAll(maxSteps = 100_000): Map<number, GenerationResult> {
    for (let i = 0; i < maxSteps && this.busy; i++) this.step();
    if (this.busy) throw new Error(`generation did not finish in ${maxSteps} steps.`);
    return this.results;
  }
}
