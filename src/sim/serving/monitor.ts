import { Engine, type EngineConfig, type StepInfo } from './engine';
import { quantile } from './metrics';
import type { ServeRequest } from './workload';

/** One dashboard sample: the window (t − window, t]. Latencies are NaN in windows where nothing finished. */
export interface Sample {
  t: number;
  p50S: number;
  p99S: number;
  ttftP99S: number;
  tokPerS: number;
  reqPerS: number;
  queue: number;
  running: number;
  /** Share of KV blocks in use at the end of the window. */
  kv: number;
  preemptions: number;
  /** Share of the window the GPU ran steps (nvidia-smi's "utilization"). */
  gpuBusy: number;
  /** Model FLOPs / peak FLOPs over the window. */
  mfu: number;
  /** Rejected / arrived in the window. */
  rejectRate: number;
}

export type AlertMetric = 'ttftP99S' | 'queue' | 'kv' | 'rejectRate' | 'preemptions';

export interface AlertRule {
  metric: AlertMetric;
  /** Fires when the metric goes above this value. */
  above: number;
}

export interface AlertEvent {
  t: number;
  metric: AlertMetric;
  value: number;
  threshold: number;
  kind: 'fired' | 'resolved';
}

export const ALERT_LABELS: Record<AlertMetric, string> = {
  ttftP99S: 'P99 time to first token',
  queue: 'queue depth',
  kv: 'KV-cache usage',
  rejectRate: 'reject rate',
  preemptions: 'preemptions per window',
};

/**
 * Turns a unit-rate workload into a traffic surge: `qps` normally and `qps × surge` for the middle
 * third of the requests’ unit time (35%–65%), by warping the arrival clock piecewise.
 */
export function surgeArrivals(unit: readonly ServeRequest[], qps: number, surge: number): ServeRequest[] {
  if (!(qps > 0)) throw new RangeError(`QPS must be positive; got ${qps}.`);
  if (!(surge >= 1) || surge > 20) throw new RangeError(`Surge must be from 1× to 20×; got ${surge}.`);
  const U = unit.length ? unit[unit.length - 1].arrival : 0;
  const u1 = 0.35 * U;
  const u2 = 0.65 * U;
  const warp = (u: number) =>
    u < u1
      ? u / qps
      : u < u2
        ? u1 / qps + (u - u1) / (qps * surge)
        : u1 / qps + (u2 - u1) / (qps * surge) + (u - u2) / qps;
  return unit.map((r) => ({ ...r, arrival: warp(r.arrival) }));
}

/** A step as the trace exporter keeps it. */
export interface StepRecord {
  t0: number;
  dt: number;
  prefill: number;
  decode: number;
  running: number;
  steps: number;
}

export const MAX_TRACE_STEPS = 20_000;

/**
 * Watches one replica as it runs: per window, the signals an on-call dashboard shows, and an alert
 * log (a rule fires when its metric goes above the threshold and resolves when it comes back).
 * `advance` runs a slice of steps so a page can draw the series while the simulation runs.
 */
export class Monitor {
  readonly engine: Engine;
  readonly samples: Sample[] = [];
  readonly events: AlertEvent[] = [];
  readonly steps: StepRecord[] = [];
  readonly window: number;
  private readonly firing = new Map<AlertMetric, boolean>();
  private winEnd: number;
  private lat: number[] = [];
  private ttfts: number[] = [];
  private tokens = 0;
  private done = 0;
  private busy = 0;
  private flops = 0;
  private preempt = 0;
  private rej0 = 0;
  private arr0 = 0;
  private last: StepInfo | null = null;

  constructor(
    config: EngineConfig,
    readonly requests: readonly ServeRequest[],
    readonly rules: readonly AlertRule[],
    samples = 120,
  ) {
    const span = requests.length ? requests[requests.length - 1].arrival : 1;
    this.window = Math.max(span / samples, 1e-3);
    this.winEnd = this.window;
    this.engine = new Engine(config, requests, (e, s) => this.onStep(e, s));
    // Long decode-only stretches are split so no record spans much of a window.
    this.engine.fastForwardCap = 32;
  }

  private onStep(e: Engine, s: StepInfo): void {
    while (s.t0 >= this.winEnd) this.close(e);
    this.last = s;
    this.busy += s.dt;
    this.flops += 2 * e.config.model.params * (s.prefill + s.decode);
    this.tokens += s.decode;
    this.preempt += s.preempted;
    for (const j of e.finishedInStep) {
      this.lat.push(j.finishTime - j.r.arrival);
      this.ttfts.push(j.firstTokenTime - j.r.arrival);
      this.done++;
    }
    if (this.steps.length < MAX_TRACE_STEPS)
      this.steps.push({ t0: s.t0, dt: s.dt, prefill: s.prefill, decode: s.decode, running: s.running, steps: s.steps });
  }

  private close(e: Engine): void {
    const w = this.window;
    const lat = Float64Array.from(this.lat).sort();
    const tt = Float64Array.from(this.ttfts).sort();
    const arrived = e.arrived - this.arr0;
    const rejected = e.rejected - this.rej0;
    const s: Sample = {
      t: this.winEnd,
      p50S: lat.length ? quantile(lat, 0.5) : NaN,
      p99S: lat.length ? quantile(lat, 0.99) : NaN,
      ttftP99S: tt.length ? quantile(tt, 0.99) : NaN,
      tokPerS: this.tokens / w,
      reqPerS: this.done / w,
      queue: this.last ? this.last.waiting : 0,
      running: this.last ? this.last.running : 0,
      kv: this.last ? this.last.usedBlocks / e.config.numBlocks : 0,
      preemptions: this.preempt,
      gpuBusy: Math.min(1, this.busy / w),
      mfu: this.flops / (e.config.model.flopsPerS * w),
      rejectRate: arrived > 0 ? rejected / arrived : 0,
    };
    this.samples.push(s);
    for (const r of this.rules) {
      const v = s[r.metric];
      if (Number.isNaN(v)) continue;
      const on = this.firing.get(r.metric) ?? false;
      if (!on && v > r.above) {
        this.firing.set(r.metric, true);
        this.events.push({ t: s.t, metric: r.metric, value: v, threshold: r.above, kind: 'fired' });
      } else if (on && v <= r.above) {
        this.firing.set(r.metric, false);
        this.events.push({ t: s.t, metric: r.metric, value: v, threshold: r.above, kind: 'resolved' });
      }
    }
    this.lat = [];
    this.ttfts = [];
    this.tokens = 0;
    this.done = 0;
    this.busy = 0;
    this.flops = 0;
    this.preempt = 0;
    this.rej0 = e.rejected;
    this.arr0 = e.arrived;
    if (this.last)
      this.last = { ...this.last, running: e.runningCount, waiting: e.waitingCount, usedBlocks: e.pool.used() };
    this.winEnd += w;
  }

  /** Runs up to `maxSteps` engine steps; false when the run is over (the last window is closed). */
  advance(maxSteps = 2000): boolean {
    for (let k = 0; k < maxSteps; k++) {
      if (!this.engine.advance()) {
        if (this.busy > 0 || this.done > 0 || this.tokens > 0) this.close(this.engine);
        return false;
      }
    }
    return true;
  }

  run(): this {
    while (this.advance(1 << 16));
    return this;
  }
}
