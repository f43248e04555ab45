import type { ReactNode } from 'react';
import type { LabResult } from '../contract';
import type { ServingParams } from './params';

/** What every serving panel that runs one auxiliary job gets from the view. */
export interface JobPanelProps {
  params: ServingParams;
  job: LabResult | undefined;
  /** The job's result was computed with other parameters than the current ones. */
  stale: boolean;
  onRun(): void;
  onCancel(): void;
  /** The panel's own controls (parameters placed in the view), shown above its run button. */
  settings?: ReactNode;
}

/** Run / cancel / progress / error for one auxiliary job, the same in every panel. */
export function JobBar({
  job,
  label,
  again,
  onRun,
  onCancel,
  testId,
}: {
  job: LabResult | undefined;
  label: string;
  again: string;
  onRun(): void;
  onCancel(): void;
  testId?: string;
}) {
  const running = job?.status === 'running';
  return (
    <div className="srv-bar">
      {running ? (
        <button type="button" className="btn btn-stop" onClick={onCancel}>
          Cancel
        </button>
      ) : (
        <button type="button" className="btn" onClick={onRun} data-testid={testId}>
          {job?.data ? again : label}
        </button>
      )}
      {running ? (
        <span className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round((job?.progress ?? 0) * 100)}>
          <span className="progress-fill" style={{ width: `${Math.round((job?.progress ?? 0) * 100)}%` }} />
          <span className="progress-text">{job?.progressText || 'running…'}</span>
        </span>
      ) : null}
      {job?.status === 'error' ? (
        <span className="error-text" role="alert">
          {job.error}
        </span>
      ) : null}
      {job?.status === 'cancelled' ? <span className="muted">Cancelled.</span> : null}
    </div>
  );
}
