import type { ParamValues } from '../labkit/schema';
import type { LabMeta } from '../labkit/contract';
import { SCENARIOS } from '../scenarios';
import { findRecordedRun, hasRecordings, type Replay } from '../scenarios/replay';
import type { ReplaySource } from '../store';

/** The app's view of scenario recordings: kernel results to replay where WebGPU is missing. */
export function recordedRun(meta: LabMeta, values: ParamValues): Replay | null {
  return findRecordedRun(SCENARIOS, meta.id, meta.schema, values);
}

export function labHasRecordings(labId: string): boolean {
  return hasRecordings(SCENARIOS, labId);
}

export function replaySource(r: Replay, partial: boolean): ReplaySource {
  return {
    adapter: r.adapter,
    recordedAt: r.recordedAt,
    scenario: r.scenario,
    partial,
    ...(r.clamped ? { clamped: r.clamped } : {}),
  };
}
