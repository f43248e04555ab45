/**
 * The mini-cluster's job controller (what torchrun's elastic agent does for a real job): starts N
 * rank workers, wires them into a ring of MessageChannels, drives the steps, writes checkpoints,
 * and when a rank dies restarts the whole group from the last checkpoint, on N−1 ranks (elastic)
 * or on N with a replacement. Steps done since that checkpoint are lost and redone; the record of
 * each step is replaced, never added twice.
 *
 * How a death is noticed: a worker that crashes reports an error event at once; a worker that is
 * terminated (the "kill rank" button, like a node losing power) reports nothing, so a watchdog
 * fires when a step takes far longer than usual and a heartbeat to every rank finds which ones
 * stopped answering. The survivors are still waiting inside the all-reduce at that point, exactly
 * as NCCL ranks hang on a dead peer.
 */
import * as Comlink from 'comlink';
import { ringBytesFormula } from '../sim/cluster/allreduce';
import {
  checkTrainConfig,
  evalLoss,
  initState,
  paramCount,
  type TrainConfig,
  type TrainState,
} from '../sim/cluster/training';
import { stepLoss, type StepRecord } from '../sim/cluster/trainingRun';
import type { Checkpoint, CheckpointStore } from './clusterCheckpoints';
import { checkpointBytes } from './clusterCheckpoints';
import type { ClusterRankApi, RankStepReport } from './clusterRank';
import type { WorkerFactory, WorkerHandle } from './pool';

export type FailurePolicy = 'elastic' | 'replace';

export interface ClusterJobOptions {
  factory: WorkerFactory;
  cfg: TrainConfig;
  ranks: number;
  /** Checkpoint after every this many steps (0: never; a failure then restarts from step 0). */
  checkpointEvery: number;
  store: CheckpointStore;
  policy: FailurePolicy;
  /** Checkpoint key; one store can hold several jobs. */
  job?: string;
  /** Extra time each rank spends inside every step (before its all-reduce), so a person can watch and a kill lands mid-step (0 in tests). */
  paceMs?: number;
  /** A step slower than max(watchdogMs, 20 × median step) triggers a heartbeat check. */
  watchdogMs?: number;
  /** How long a heartbeat may take before its rank counts as dead (default 500 ms). */
  heartbeatMs?: number;
  signal?: AbortSignal;
  onEvent?(e: JobEvent): void;
}

export type JobEvent =
  | { kind: 'start'; world: number; fromStep: number }
  | { kind: 'step'; record: StepRecord; bytesPerRank: number[]; ms: number; computeMs: number; commMs: number }
  | { kind: 'checkpoint'; step: number; bytes: number; ms: number; where: string }
  | { kind: 'checkpoint-failed'; step: number; message: string }
  | { kind: 'kill'; rank: number; step: number; midStep: boolean; how: 'terminate' | 'crash' }
  | { kind: 'failure'; failure: FailureRecord }
  | { kind: 'restart'; fromStep: number; world: number; ms: number };

export interface FailureRecord {
  /** Ranks found dead (indices in the group that failed). */
  ranks: number[];
  /** The step in flight when the failure was noticed. */
  step: number;
  reason: string;
  /** How the failure was noticed and how long after it happened. */
  detectedBy: 'crash event' | 'watchdog + heartbeat';
  detectMs: number;
  /** Step of the checkpoint resumed from (0 = the initial weights, when none was written). */
  resumedFrom: number;
  /** Completed steps thrown away and redone: step − resumedFrom. */
  lostSteps: number;
  worldBefore: number;
  worldAfter: number;
}

export interface ClusterJobResult {
  /** One record per step 0..steps−1, from the attempt that counted. */
  records: StepRecord[];
  /** Global batch sample ids per step (ranks' shards joined in rank order), from the counted attempt. */
  batches: Int32Array[];
  /** Steps computed including redone ones: steps + lost steps. */
  computedSteps: number;
  lostSteps: number;
  failures: FailureRecord[];
  checkpoints: number;
  checkpointFailures: number;
  state: TrainState;
  /** Mean cross-entropy of the final weights over the whole dataset. */
  finalLoss: number;
  world: number;
  /** Bytes each rank sent in the last step's all-reduce, and the formula's 2(N−1)/N · gradient bytes. */
  bytesPerRank: number[];
  formulaBytes: number;
  gradientBytes: number;
}

/** A rank stopped: thrown inside the controller, turned into a restart. */
class RankFailure extends Error {
  constructor(
    readonly ranks: number[],
    reason: string,
    readonly detectedBy: FailureRecord['detectedBy'],
    readonly at: number,
  ) {
    super(reason);
  }
}

const STARTUP_MS = 30_000;

const abortError = () => new DOMException('The mini-cluster job was stopped', 'AbortError');

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface Rank {
  handle: WorkerHandle;
  api: Comlink.Remote<ClusterRankApi>;
}

interface Group {
  ranks: Rank[];
  world: number;
  /** Rejects with a RankFailure when any rank reports a crash. */
  crashed: Promise<never>;
  dead: Set<number>;
  /** When a rank was killed or crashed (for the detection delay). */
  diedAt: Map<number, number>;
  terminate(): void;
}

export class ClusterJob {
  private group: Group | null = null;
  private inFlight: number | null = null;
  private stopped = false;
  private stepTimes: number[] = [];
  /** Aborted by stop() or by the caller's signal. */
  private ctl = new AbortController();
  /** Rejects once the job is stopped; raced against every wait. */
  private aborted: Promise<never>;

  constructor(private opts: ClusterJobOptions) {
    const outer = opts.signal;
    if (outer?.aborted) this.ctl.abort();
    else outer?.addEventListener('abort', () => this.ctl.abort(), { once: true });
    this.aborted = new Promise<never>((_, reject) => {
      if (this.ctl.signal.aborted) reject(abortError());
      this.ctl.signal.addEventListener('abort', () => reject(abortError()), { once: true });
    });
    this.aborted.catch(() => {});
    checkTrainConfig(opts.cfg);
    if (!Number.isInteger(opts.ranks) || opts.ranks < 1 || opts.ranks > 16)
      throw new RangeError(`ranks must be a whole number from 1 to 16, got ${opts.ranks}.`);
    if (opts.ranks > opts.cfg.batch)
      throw new RangeError(
        `${opts.ranks} ranks cannot share a global batch of ${opts.cfg.batch} samples; use at most ${opts.cfg.batch} ranks.`,
      );
    if (!Number.isInteger(opts.checkpointEvery) || opts.checkpointEvery < 0)
      throw new RangeError(`checkpoint interval must be a whole number of steps ≥ 0, got ${opts.checkpointEvery}.`);
  }

  get world(): number {
    return this.group?.world ?? 0;
  }

  /** Terminates rank `rank` now (mid-step if a step is running). Returns false when there is no such rank. */
  kill(rank: number): boolean {
    const g = this.group;
    if (!g || this.stopped || rank < 0 || rank >= g.world || g.dead.has(rank)) return false;
    g.dead.add(rank);
    g.diedAt.set(rank, performance.now());
    g.ranks[rank].handle.terminate();
    this.opts.onEvent?.({
      kind: 'kill',
      rank,
      step: this.inFlight ?? -1,
      midStep: this.inFlight !== null,
      how: 'terminate',
    });
    return true;
  }

  /** Makes rank `rank` crash (an uncaught error in the worker), the other way a rank dies. */
  crash(rank: number): boolean {
    const g = this.group;
    if (!g || this.stopped || rank < 0 || rank >= g.world || g.dead.has(rank)) return false;
    void g.ranks[rank].api.crash();
    this.opts.onEvent?.({
      kind: 'kill',
      rank,
      step: this.inFlight ?? -1,
      midStep: this.inFlight !== null,
      how: 'crash',
    });
    return true;
  }

  private async spawn(world: number, cfg: TrainConfig, state: TrainState): Promise<Group> {
    const ranks: Rank[] = [];
    const dead = new Set<number>();
    const diedAt = new Map<number, number>();
    let fail: (e: RankFailure) => void = () => {};
    const crashed = new Promise<never>((_, reject) => (fail = reject));
    crashed.catch(() => {});
    for (let r = 0; r < world; r++) {
      const handle = this.opts.factory(r);
      handle.onCrash((reason) => {
        if (!dead.has(r)) diedAt.set(r, performance.now());
        dead.add(r);
        fail(new RankFailure([r], `rank ${r} crashed: ${reason}`, 'crash event', diedAt.get(r)!));
      });
      ranks.push({ handle, api: Comlink.wrap<ClusterRankApi>(handle.endpoint) });
    }
    // Channel r carries rank r → rank r+1.
    const channels = world > 1 ? Array.from({ length: world }, () => new MessageChannel()) : [];
    const inits = ranks.map((rk, r) => {
      const send = world > 1 ? channels[r].port1 : null;
      const recv = world > 1 ? channels[(r + world - 1) % world].port2 : null;
      const init = {
        rank: r,
        world,
        cfg,
        state: { step: state.step, params: state.params.slice(), m: state.m.slice(), v: state.v.slice() },
        send,
        recv,
      };
      const transfer = [send, recv].filter((p): p is MessagePort => p !== null);
      return rk.api.init(Comlink.transfer(init, transfer));
    });
    const g: Group = {
      ranks,
      world,
      crashed,
      dead,
      diedAt,
      terminate: () => ranks.forEach((r) => r.handle.terminate()),
    };
    // Start-up (loading the worker script) is not a step: it gets its own, generous limit.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const slow = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`The rank workers did not start within ${STARTUP_MS / 1000} s.`)),
        STARTUP_MS,
      );
    });
    try {
      await Promise.race([Promise.all(inits), crashed, slow, this.aborted]);
    } catch (e) {
      g.terminate();
      if (e instanceof RankFailure) throw new Error(`A rank worker failed while starting: ${e.message}`, { cause: e });
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return g;
  }

  /**
   * Waits for `work` from the group, racing crash events and the watchdog. On a watchdog timeout
   * every rank gets a heartbeat; the silent ones are the dead.
   */
  private async watch<T>(g: Group, work: Promise<T>): Promise<T> {
    const sorted = [...this.stepTimes].sort((a, b) => a - b);
    const median = sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0;
    const limit = Math.max(this.opts.watchdogMs ?? 1000, 20 * median);
    // A busy page can delay an answer; a dead rank never answers, so erring long costs little.
    const beat = Math.max(this.opts.heartbeatMs ?? 500, 5 * median);
    const guarded = work.then((v) => ({ v }));
    for (;;) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), limit)));
      try {
        const r = await Promise.race([guarded, timeout, g.crashed, this.aborted]);
        if (r !== 'timeout') return r.v;
      } finally {
        clearTimeout(timer);
      }
      const answers = await Promise.all(
        g.ranks.map((rk) =>
          Promise.race([
            Promise.resolve(rk.api.ping()).then(
              () => true,
              () => false,
            ),
            sleep(beat).then(() => false),
          ]),
        ),
      );
      const silent = answers.flatMap((ok, r) => (ok ? [] : [r]));
      if (silent.length) {
        const at = Math.min(...silent.map((r) => g.diedAt.get(r) ?? performance.now()));
        throw new RankFailure(
          silent,
          `rank${silent.length > 1 ? 's' : ''} ${silent.join(', ')} stopped answering: no heartbeat within ${beat} ms after a ${limit} ms watchdog`,
          'watchdog + heartbeat',
          at,
        );
      }
      // Everyone answers: just slow (a busy machine). Keep waiting.
    }
  }

  private async checkpoint(g: Group, job: string, cfg: TrainConfig, step: number): Promise<boolean> {
    const t0 = performance.now();
    const s = await this.watch(g, Promise.resolve(g.ranks[0].api.state()));
    const c: Checkpoint = {
      job,
      cfg,
      step: s.step,
      dataPosition: s.step * cfg.batch,
      world: g.world,
      params: s.params,
      m: s.m,
      v: s.v,
      savedAt: Date.now(),
    };
    try {
      await this.opts.store.save(c);
    } catch (e) {
      this.opts.onEvent?.({ kind: 'checkpoint-failed', step, message: e instanceof Error ? e.message : String(e) });
      return false;
    }
    this.opts.onEvent?.({
      kind: 'checkpoint',
      step,
      bytes: checkpointBytes(c),
      ms: performance.now() - t0,
      where: this.opts.store.where,
    });
    return true;
  }

  async run(): Promise<ClusterJobResult> {
    const { cfg, store } = this.opts;
    const signal = this.ctl.signal;
    const job = this.opts.job ?? 'mini-cluster';
    const emit = (e: JobEvent) => this.opts.onEvent?.(e);
    const records: StepRecord[] = [];
    const batches: Int32Array[] = [];
    const failures: FailureRecord[] = [];
    let computed = 0;
    let checkpoints = 0;
    let checkpointFailures = 0;
    let world = this.opts.ranks;
    let state = initState(cfg);
    let lastBytes: number[] = [];
    try {
      await store.clear(job);
    } catch (e) {
      emit({
        kind: 'checkpoint-failed',
        step: 0,
        message: `Checkpoint storage is not usable (${e instanceof Error ? e.message : String(e)}); training runs, but a failure will restart it from step 0.`,
      });
    }
    const onAbort = () => this.group?.terminate();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (signal.aborted) throw abortError();
        const g = await this.spawn(world, cfg, state);
        this.group = g;
        emit({ kind: 'start', world, fromStep: state.step });
        try {
          let step = state.step;
          while (step < cfg.steps) {
            if (signal.aborted) throw abortError();
            this.inFlight = step;
            const t0 = performance.now();
            const reports: RankStepReport[] = await this.watch(
              g,
              Promise.all(g.ranks.map((r) => r.api.step(step, this.opts.paceMs ?? 0))),
            );
            const ms = performance.now() - t0;
            this.inFlight = null;
            this.stepTimes.push(ms);
            if (this.stepTimes.length > 50) this.stepTimes.shift();
            const hashes = new Set(reports.map((r) => r.paramsHash));
            if (hashes.size !== 1)
              throw new Error(
                `replicas diverged at step ${step}: ${hashes.size} different weight hashes (a bug, not a failure)`,
              );
            const record: StepRecord = {
              step,
              loss: stepLoss(
                reports.map((r) => r.lossSum),
                cfg.batch,
              ),
              world,
            };
            records[step] = record;
            const joined = new Int32Array(cfg.batch);
            let at = 0;
            for (const r of reports) {
              joined.set(r.ids, at);
              at += r.ids.length;
            }
            batches[step] = joined;
            computed++;
            lastBytes = reports.map((r) => r.bytesSent);
            emit({
              kind: 'step',
              record,
              bytesPerRank: lastBytes,
              ms,
              computeMs: Math.max(...reports.map((r) => r.computeMs)),
              commMs: Math.max(...reports.map((r) => r.commMs)),
            });
            step++;
            if (this.opts.checkpointEvery > 0 && step % this.opts.checkpointEvery === 0 && step < cfg.steps) {
              if (await this.checkpoint(g, job, cfg, step)) checkpoints++;
              else checkpointFailures++;
            }
          }
          state = await this.watch(g, Promise.resolve(g.ranks[0].api.state()));
          g.terminate();
          break;
        } catch (e) {
          this.inFlight = null;
          g.terminate();
          // No group while restarting: kill() answers false until the new ranks are up.
          this.group = null;
          if (!(e instanceof RankFailure)) throw e;
          const stepNow = records.length;
          const t0 = performance.now();
          let saved: Checkpoint | null = null;
          try {
            saved = await store.load(job);
          } catch (err) {
            emit({
              kind: 'checkpoint-failed',
              step: stepNow,
              message: `The checkpoint could not be read back (${err instanceof Error ? err.message : String(err)}); restarting from step 0.`,
            });
          }
          if (saved && JSON.stringify(saved.cfg) !== JSON.stringify(cfg))
            throw new Error('The stored checkpoint belongs to other settings; not resuming from it.', { cause: e });
          state = saved ? { step: saved.step, params: saved.params, m: saved.m, v: saved.v } : initState(cfg);
          const survivors = world - e.ranks.length;
          const next = this.opts.policy === 'elastic' && survivors >= 1 ? survivors : world;
          const failure: FailureRecord = {
            ranks: e.ranks,
            step: stepNow,
            reason: e.message,
            detectedBy: e.detectedBy,
            detectMs: performance.now() - e.at,
            resumedFrom: state.step,
            lostSteps: stepNow - state.step,
            worldBefore: world,
            worldAfter: next,
          };
          failures.push(failure);
          emit({ kind: 'failure', failure });
          // Roll back: steps after the checkpoint are redone and their records replaced.
          records.length = state.step;
          batches.length = state.step;
          world = next;
          this.stepTimes = [];
          emit({ kind: 'restart', fromStep: state.step, world, ms: performance.now() - t0 });
        }
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.stopped = true;
      this.group?.terminate();
      this.group = null;
    }
    const gradientBytes = paramCount(cfg) * 4;
    return {
      records,
      batches,
      computedSteps: computed,
      lostSteps: failures.reduce((a, f) => a + f.lostSteps, 0),
      failures,
      checkpoints,
      checkpointFailures,
      state,
      finalLoss: evalLoss(cfg, state.params),
      world,
      bytesPerRank: lastBytes,
      formulaBytes: ringBytesFormula(gradientBytes, world),
      gradientBytes,
    };
  }

  /** Stops the job: terminates every worker; run() rejects with an AbortError unless it finished. */
  stop(): void {
    this.stopped = true;
    this.ctl.abort();
    this.group?.terminate();
  }
}
