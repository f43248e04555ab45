import type { ReactNode } from 'react';
import type { LabResult } from '../labkit/contract';

/**
 * Run / cancel / progress / error for one of a lab's on-demand jobs (actions.runJob), the same in
 * every panel: the button says `again` once the job has a result, and a cancelled or failed job
 * says so beside it.
 */
export function JobBar({
  job,
  label,
  again,
  onRun,
  onCancel,
  cancelLabel = 'Cancel',
  cancelledText = 'Cancelled.',
  disabled = false,
  testId,
  children,
}: {
  job: LabResult | undefined;
  label: string;
  again: string;
  onRun(): void;
  onCancel(): void;
  cancelLabel?: string;
  cancelledText?: string;
  disabled?: boolean;
  testId?: string;
  /** Extra controls that belong on the bar (a panel's export buttons). */
  children?: ReactNode;
}) {
  const running = job?.status === 'running';
  return (
    <div className="job-bar">
      {running ? (
        <button type="button" className="btn btn-stop" onClick={onCancel}>
          {cancelLabel}
        </button>
      ) : (
        <button type="button" className="btn" onClick={onRun} disabled={disabled} data-testid={testId}>
          {job?.data ? again : label}
        </button>
      )}
      {running ? (
        <span
          className="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round((job?.progress ?? 0) * 100)}
        >
          <span className="progress-fill" style={{ width: `${Math.round((job?.progress ?? 0) * 100)}%` }} />
          <span className="progress-text">{job?.progressText || 'running…'}</span>
        </span>
      ) : null}
      {children}
      {job?.status === 'error' ? (
        <span className="error-text" role="alert">
          {job.error}
        </span>
      ) : null}
      {job?.status === 'cancelled' ? <span className="muted">{cancelledText}</span> : null}
    </div>
  );
}
