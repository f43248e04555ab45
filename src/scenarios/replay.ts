import { validateParams } from '../labkit/validate';
import type { ParamSchema, ParamValues } from '../labkit/schema';
import type { ScenarioIndex } from './index';
import { sameParams } from './state';

/** Where a recorded run of a lab with given parameters lives; its result loads separately. */
export interface Replay {
  scenario: string;
  runIndex: number;
  adapter: string;
  recordedAt: string;
  /** Set when the recording device ran clamped values in place of these: its notices. */
  clamped?: string[];
}

/**
 * A recorded run of `lab` with exactly these parameters, from any scenario; null if none. A run the
 * recording device had to clamp stands for the values the scenario asked for, and says so.
 */
export function findRecordedRun(
  scenarios: readonly ScenarioIndex[],
  lab: string,
  schema: ParamSchema,
  values: ParamValues,
): Replay | null {
  for (const s of scenarios) {
    const runs = s.recording?.runs ?? [];
    for (let i = 0; i < runs.length; i++) {
      if (runs[i].lab !== lab) continue;
      const run = runs[i];
      if (sameParams(schema, validateParams(schema, run.requested ?? run.params).values, values)) {
        const found: Replay = {
          scenario: s.id,
          runIndex: i,
          adapter: s.recording!.adapter,
          recordedAt: s.recording!.recordedAt,
        };
        if (run.requested && run.clamped?.length) found.clamped = run.clamped;
        return found;
      }
    }
  }
  return null;
}

export function hasRecordings(scenarios: readonly ScenarioIndex[], lab: string): boolean {
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
