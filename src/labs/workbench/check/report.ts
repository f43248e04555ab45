import type { ShaderDiagnostic } from '../../../gpu/errors';

/** Plain JSON (the lab store and recorded scenarios keep it): no typed arrays, no NaN. */
export interface CaseReport {
  label: string;
  sizes: Record<string, number>;
  pass: boolean;
  elements: number;
  mismatches: number;
  worst: { index: number; coords: number[]; expected: number; got: string; notWritten: boolean } | null;
  maxAbsError: number;
  bytesRead: number;
  bytesWritten: number;
  targetRead: number;
  targetWritten: number;
  /** The starter kernel's traffic on the same case, when it was measured. */
  naiveBytes: number | null;
  /** Invocations whose loops were cut short by the iteration guard. */
  guardTrips: number;
  oob: { count: number; binding: string; index: number; length: number } | null;
}

export type CheckStatus = 'pass' | 'fail' | 'compile-error' | 'invalid' | 'timeout';

export interface CheckReport {
  exercise: string;
  status: CheckStatus;
  /** One sentence on the outcome, shown above the table. */
  message: string;
  diagnostics: ShaderDiagnostic[];
  workgroupSize: [number, number, number] | null;
  cases: CaseReport[];
  /** Every case at or under its traffic target. */
  trafficAtTarget: boolean;
  timing: { medianMs: number; spreadMs: number; source: string; case: string } | null;
}

export function caseLabel(sizes: Record<string, number>): string {
  return Object.entries(sizes)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
