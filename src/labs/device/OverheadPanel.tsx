import { DEFAULT_OVERHEAD, measureOverhead, type OverheadResult, type OverheadRow } from '../../kernels/overhead';
import { fmtMs } from '../../ui/format';
import { JobBar } from '../../ui/JobBar';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import type { LabViewProps } from '../../labkit/contract';
import type { ParamSchema } from '../../labkit/schema';

export const OVERHEAD_JOB = 'overhead';

/** The device lab's jobs, by name: launch overhead, measured on demand. */
export interface DeviceJobs {
  overhead: OverheadResult;
}

const columns: Column<OverheadRow>[] = [
  { key: 'regime', label: 'How the K ops are issued', render: (r) => r.label },
  { key: 'dispatches', label: 'Dispatches', render: (r) => String(r.dispatches) },
  { key: 'median', label: 'Median', unit: 'wall clock', render: (r) => fmtMs(r.medianMs), value: (r) => r.medianMs },
  { key: 'spread', label: 'Spread (IQR)', render: (r) => fmtMs(r.spreadMs), value: (r) => r.spreadMs },
  {
    key: 'per',
    label: 'Per extra launch',
    unit: 'µs',
    render: (r) => (r.perLaunchUs === null ? 'baseline' : r.perLaunchUs.toFixed(1)),
    value: (r) => r.perLaunchUs ?? '',
  },
];

/**
 * The third regime (after memory and compute) of "Making Deep Learning Go Brrrr": overhead. The
 * same K tiny ops, launched four ways, on this device.
 */
export function OverheadPanel({
  jobs,
  actions,
  device,
}: Pick<LabViewProps<ParamSchema, unknown, DeviceJobs>, 'jobs' | 'actions' | 'device'>) {
  const job = jobs[OVERHEAD_JOB];
  const data = job?.data ?? null;
  const p = DEFAULT_OVERHEAD;
  const fused = data?.rows.find((r) => r.regime === 'fused');
  const worst = data?.rows.find((r) => r.regime === 'submits');
  return (
    <section className="overhead-panel" aria-label="Launch overhead">
      <h3>Overhead: many tiny dispatches vs one fused dispatch</h3>
      <p>
        K = {p.k} additions of 1.0 to {p.n.toLocaleString()} floats, each a separate dispatch or all in one. The work
        per dispatch is negligible, so the differences are the cost of launching work: when a model is made of many
        small ops, this, not memory or FLOPs, bounds its speed (He, “Making Deep Learning Go Brrrr From First
        Principles”, 2022). Wall-clock timing, because the CPU’s encoding and submission are part of a launch.
      </p>
      <JobBar
        job={job}
        label="Measure launch overhead"
        again="Measure again"
        disabled={device.status !== 'ready'}
        onCancel={() => actions.cancelJob(OVERHEAD_JOB)}
        onRun={() =>
          actions.runJob(OVERHEAD_JOB, (ctx) => {
            if (!ctx.runtime) throw new Error('Measuring launch overhead needs WebGPU.');
            return measureOverhead(ctx.runtime, p, ctx.signal);
          })
        }
      />
      {data ? (
        <>
          <ResultsTable
            caption={`Launch overhead, K = ${data.params.k} (measured on this device)`}
            columns={columns}
            rows={data.rows}
            rowKey={(r) => r.regime}
          />
          {fused && worst ? (
            <p className="muted">
              One fused dispatch took {fmtMs(fused.medianMs)}; {data.params.k} separate submits took{' '}
              {fmtMs(worst.medianMs)} ({(worst.medianMs / fused.medianMs).toFixed(1)}×). Each result was checked (every
              element equals x₀ + K) before it was timed. Fusing, batching launches into one command buffer, or
              capturing them (CUDA graphs) removes this cost; a larger vector would hide it behind real work.
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
