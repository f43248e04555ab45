import type { ReactNode } from 'react';
import type { LabResult } from '../../labkit/contract';
import type { ServingParams } from './params';

/** What every serving panel that runs one auxiliary job gets from the view. */
export interface JobPanelProps<T> {
  params: ServingParams;
  job: LabResult<T> | undefined;
  /** The job's result was computed with other parameters than the current ones. */
  stale: boolean;
  onRun(): void;
  onCancel(): void;
  /** The panel's own controls (parameters placed in the view), shown above its run button. */
  settings?: ReactNode;
}
