import type { LabRunContext, ParamsOf } from '../../labkit/contract';
import type { meta } from './meta';
import { plan, type Plan } from './plan';

export type PlannerParams = ParamsOf<typeof meta.schema>;

/** Pure and fast (a few hundred roofline evaluations): no worker, no progress to report. */
export async function runPlanner(_ctx: LabRunContext, p: PlannerParams): Promise<Plan> {
  return plan(p);
}
