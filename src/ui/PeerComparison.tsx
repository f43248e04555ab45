import type { ReactNode } from 'react';
import type { LabResult } from '../labkit/contract';
import type { PeerComparisonResult, PeerSide } from '../peers/compare';
import { JobBar } from './JobBar';
import { ResultsTable, type Column } from './ResultsTable';
import { fmtMs, fmtRatio } from './format';

const TIMING: Record<string, string> = {
  timestamp: 'GPU timestamps',
  wallclock: 'wall clock (no timestamp queries here)',
};

const columns: Column<PeerSide>[] = [
  { key: 'impl', label: 'Implementation', render: (s) => s.label },
  {
    key: 'time',
    label: 'Time',
    unit: 'median of rounds',
    render: (s) => (s.medianMs === null ? '—' : fmtMs(s.medianMs)),
    value: (s) => s.medianMs ?? '',
  },
  {
    key: 'timing',
    label: 'Timed by',
    render: (s) => (s.timing ? TIMING[s.timing] : '—'),
    value: (s) => s.timing ?? '',
  },
  {
    key: 'err',
    label: 'Error vs float64',
    render: (s) => (s.relError === null ? '—' : s.relError.toExponential(1)),
    value: (s) => s.relError ?? '',
  },
  { key: 'note', label: 'Note', render: (s) => s.error ?? '', value: (s) => s.error ?? '' },
];

interface Props<R extends PeerComparisonResult> {
  job: LabResult<R> | undefined;
  /** The lab's current key for this comparison: a result made under another key is stale. */
  paramsKey: string;
  title: string;
  /** What is compared and how, in the lab's words. */
  intro: ReactNode;
  /** test ids and export names derive from it: `${name}`, `${name}-run`, `${name}-ratio`. */
  name: string;
  className: string;
  caption(data: R): string;
  onRun(): void;
  onCancel(): void;
}

/**
 * A lab's on-demand comparison with a library (onnxruntime-web): the run/cancel bar, both sides
 * checked and timed in one table, and the ratio with what it means on this adapter.
 */
export function PeerComparison<R extends PeerComparisonResult>({
  job,
  paramsKey,
  title,
  intro,
  name,
  className,
  caption,
  onRun,
  onCancel,
}: Props<R>) {
  const data = job?.data ?? null;
  const stale = Boolean(data && job?.paramsKey !== paramsKey);
  const ratio = data?.ours.medianMs && data.ort.medianMs ? data.ort.medianMs / data.ours.medianMs : null;
  return (
    <section className={className} aria-label="Comparison with onnxruntime-web" data-testid={name}>
      <h3>{title}</h3>
      {intro}
      <JobBar
        job={job}
        label="Compare with onnxruntime-web"
        again="Compare again"
        testId={`${name}-run`}
        onCancel={onCancel}
        onRun={onRun}
      />
      {data ? (
        <>
          <ResultsTable
            caption={caption(data)}
            columns={columns}
            rows={[data.ours, data.ort]}
            stale={stale}
            rowKey={(s) => s.label}
            name={name}
            source="measured"
          />
          <p className="muted" data-testid={`${name}-ratio`}>
            {ratio === null
              ? 'No ratio: one side has no time (see its note).'
              : `Ours is ${fmtRatio(ratio)} the speed of onnxruntime-web here (${data.ort.medianMs! > data.ours.medianMs! ? 'faster' : 'slower'}), medians of ${data.rounds} alternating rounds.`}{' '}
            {data.software
              ? 'This adapter is a CPU (SwiftShader): the ratio says how the two kernels’ structure fares on a CPU, not on a GPU.'
              : ''}
          </p>
        </>
      ) : null}
    </section>
  );
}
