import type { GpuTrace } from '../../kernels/matmul/trace';
import type { LabActions, LabResult } from '../../labkit/contract';
import type { LadderResult } from './ladder';
import type { meta } from './meta';
import type { SweepResult } from './sweep';

/** The tiling lab's jobs, by name: what each resolves to (its slot in `props.jobs`). */
export interface TilingJobs {
  /** Every tile shape timed at the current size (SweepPanel). */
  sweep: SweepResult;
  /** One workgroup's recorded accesses in one K step (TracePanel). */
  trace: GpuTrace;
  /** The optimisation ladder with the peers beside it (LadderPanel). */
  ladder: LadderResult;
}

/** What a job panel may do: start or cancel the lab's own jobs, with their result types checked. */
export type TilingJobActions = Pick<LabActions<typeof meta.schema, TilingJobs>, 'runJob' | 'cancelJob'>;

/** One job's state as a panel receives it. */
export type TilingJob<K extends keyof TilingJobs> = LabResult<TilingJobs[K]> | undefined;
