import { validateParams } from '../labs/validate';
import type { ParamSchema, ParamValues } from '../labs/schema';
import type { RecordedRun, Scenario } from './schema';
import { sameParams } from './state';

export interface Replay {
  run: RecordedRun;
  adapter: string;
  recordedAt: string;
  scenario: string;
}

/** A recorded run of `lab` with exactly these parameters, from any scenario; null if none. */
export function findRecordedRun(scenarios: readonly Scenario[], lab: string, schema: ParamSchema, values: ParamValues): Replay | null {
  for (const s of scenarios) {
    for (const run of s.recording?.runs ?? []) {
      if (run.lab !== lab) continue;
      if (sameParams(schema, validateParams(schema, run.params).values, values)) {
        return { run, adapter: s.recording!.adapter, recordedAt: s.recording!.recordedAt, scenario: s.id };
      }
    }
  }
  return null;
}

export function hasRecordings(scenarios: readonly Scenario[], lab: string): boolean {
  return scenarios.some((s) => s.recording?.runs.some((r) => r.lab === lab));
}

/**
 * For labs that run partly without WebGPU: the live (simulated) result wins where it has a value,
 * the recording fills in what only a GPU could measure. Both are plain JSON objects by contract.
 */
export function mergeReplay(live: unknown, recorded: unknown): unknown {
  if (!isObject(live) || !isObject(recorded)) return live ?? recorded;
  const out: Record<string, unknown> = { ...recorded };
  for (const [k, v] of Object.entries(live)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
