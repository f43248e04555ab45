/** Per-step metrics in growable typed columns: a 10,000-request run has tens of thousands of steps. */
export const STEP_COLUMNS = [
  'time',
  'dt',
  'running',
  'waiting',
  'preempted',
  'allocatedSlots',
  'liveSlots',
  'overReservedSlots',
  'internalSlots',
  'externalFrag',
  'decodeTokens',
  'prefillTokens',
  'preemptions',
] as const;
export type StepColumn = (typeof STEP_COLUMNS)[number];

export class StepLog {
  length = 0;
  private cols: Record<StepColumn, Float64Array>;

  constructor(capacity = 1024) {
    this.cols = Object.fromEntries(STEP_COLUMNS.map((c) => [c, new Float64Array(capacity)])) as Record<
      StepColumn,
      Float64Array
    >;
  }

  /** Appends one row, in STEP_COLUMNS order; positional so that long runs allocate nothing per step. */
  push(
    time: number,
    dt: number,
    running: number,
    waiting: number,
    preempted: number,
    allocatedSlots: number,
    liveSlots: number,
    overReservedSlots: number,
    internalSlots: number,
    externalFrag: number,
    decodeTokens: number,
    prefillTokens: number,
    preemptions: number,
  ): void {
    if (this.length === this.cols.time.length) {
      for (const c of STEP_COLUMNS) {
        const bigger = new Float64Array(this.length * 2);
        bigger.set(this.cols[c]);
        this.cols[c] = bigger;
      }
    }
    const i = this.length++;
    const c = this.cols;
    c.time[i] = time;
    c.dt[i] = dt;
    c.running[i] = running;
    c.waiting[i] = waiting;
    c.preempted[i] = preempted;
    c.allocatedSlots[i] = allocatedSlots;
    c.liveSlots[i] = liveSlots;
    c.overReservedSlots[i] = overReservedSlots;
    c.internalSlots[i] = internalSlots;
    c.externalFrag[i] = externalFrag;
    c.decodeTokens[i] = decodeTokens;
    c.prefillTokens[i] = prefillTokens;
    c.preemptions[i] = preemptions;
  }

  col(c: StepColumn): Float64Array {
    return this.cols[c].subarray(0, this.length);
  }
}
