import { Engine, type EngineConfig, type StepHook } from './engine';
import type { ServeRequest } from './workload';

export type Balancer = 'round-robin' | 'least-outstanding';

/**
 * Replicas behind a load balancer, as one discrete-event simulation: each arrival is routed at its
 * arrival time, and the replica whose next step starts earliest runs next, so every replica's
 * queue is as it would be at that moment. Round robin ignores load; least outstanding requests
 * sends each request to the replica with the fewest submitted-but-unfinished requests (ties to the
 * lowest index). A replica's count includes requests finishing in a step still in flight at the
 * arrival, so it can be up to one step ahead of the truth: at most a few ms.
 */
export class Cluster {
  readonly replicas: Engine[];
  private rr = 0;
  private i = 0;

  constructor(
    config: EngineConfig,
    count: number,
    private readonly requests: readonly ServeRequest[],
    readonly balancer: Balancer,
    hook?: StepHook,
  ) {
    if (!Number.isInteger(count) || count < 1 || count > 256)
      throw new RangeError(`Replicas must be 1 to 256; got ${count}.`);
    this.replicas = Array.from({ length: count }, () => new Engine(config, [], hook));
  }

  private route(): Engine {
    const reps = this.replicas;
    if (this.balancer === 'round-robin') return reps[this.rr++ % reps.length];
    let best = reps[0];
    for (let k = 1; k < reps.length; k++) if (reps[k].outstanding < best.outstanding) best = reps[k];
    return best;
  }

  /** Runs at most `maxSteps` replica steps; false once every request is routed and served. */
  advance(maxSteps = Infinity): boolean {
    const reps = this.replicas;
    let steps = 0;
    while (steps < maxSteps) {
      let e: Engine | null = null;
      let t = Infinity;
      for (const x of reps) {
        const nt = x.nextTime();
        if (nt < t) {
          t = nt;
          e = x;
        }
      }
      if (this.i < this.requests.length && this.requests[this.i].arrival <= t) {
        const r = this.requests[this.i++];
        this.route().submit(r);
        continue;
      }
      if (!e) return false;
      e.horizon = this.i < this.requests.length ? this.requests[this.i].arrival : Infinity;
      e.advance();
      steps++;
    }
    return true;
  }

  run(): this {
    while (this.advance(1 << 16));
    return this;
  }
}
