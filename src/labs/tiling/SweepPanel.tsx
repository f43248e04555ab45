import { ChartFrame } from '../../ui/ChartFrame';
import { JobBar } from '../../ui/JobBar';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { fmtGflops, fmtMs } from '../../ui/format';
import type { TilingJob, TilingJobActions } from './jobs';
import type { TilingValues } from './params';
import { SweepHeatmap } from './SweepHeatmap';
import { sweepTiles, type SweepCell } from './sweep';

/** The sweep's job name: its slot in `props.jobs`. */
export const SWEEP_JOB = 'sweep';

/** The parameters a sweep depends on (tile M and N are what it varies). */
export function sweepKey(p: TilingValues): string {
  return JSON.stringify([p.M, p.N, p.K, p.variant, p.tileK, p.variant === 'tiled' ? 1 : p.block]);
}

const columns: Column<SweepCell>[] = [
  { key: 'tile', label: 'Tile M×N', render: (c) => `${c.tileM}×${c.tileN}` },
  {
    key: 'rate',
    label: 'Compute',
    render: (c) => (c.gflopPerS === null ? '—' : fmtGflops(c.gflopPerS)),
    value: (c) => c.gflopPerS ?? '',
  },
  {
    key: 'time',
    label: 'Median',
    unit: 'time',
    render: (c) => (c.medianMs === null ? '—' : fmtMs(c.medianMs)),
    value: (c) => c.medianMs ?? '',
  },
  { key: 'why', label: 'Note', render: (c) => c.refused ?? '' },
];

/** Sweep of output-tile shapes: progress while it runs, a cancel button, a heatmap with the best shape. */
export function SweepPanel({
  params,
  sweep,
  actions,
}: {
  params: TilingValues;
  sweep: TilingJob<'sweep'>;
  actions: TilingJobActions;
}) {
  const stale = Boolean(sweep?.data && sweep.paramsKey !== sweepKey(params));
  const data = sweep?.data ?? null;
  const variantName =
    params.variant === 'tiled'
      ? 'workgroup-tiled'
      : params.variant === 'register-blocked-vec4'
        ? 'register-blocked vec4'
        : 'register-blocked';
  return (
    <ChartFrame
      title={`Tile sweep: measured speed of the ${variantName} kernel per output tile (tile K and block fixed)`}
      name="tiling-sweep"
    >
      <JobBar
        job={sweep}
        label="Run sweep"
        again="Sweep again"
        cancelLabel="Cancel sweep"
        cancelledText="Sweep cancelled: no partial heatmap is shown as a result."
        onCancel={() => actions.cancelJob(SWEEP_JOB)}
        onRun={() =>
          actions.runJob(
            SWEEP_JOB,
            (ctx) => {
              if (!ctx.runtime) throw new Error('The sweep needs WebGPU.');
              return sweepTiles(ctx, params);
            },
            { key: sweepKey(params) },
          )
        }
      />
      {data ? (
        <>
          <p className={stale ? 'stale-note' : 'muted'}>
            {stale ? 'Measured for other parameters (now out of date): ' : 'Measured for '}
            {data.dims.M}×{data.dims.N}×{data.dims.K}, tile K {data.tileK}
            {data.variant === 'tiled'
              ? ''
              : `, ${data.block}×${data.variant === 'register-blocked-vec4' ? 4 : data.block} per invocation`}
            .{' '}
            {data.best
              ? `Best: ${data.best.tileM}×${data.best.tileN} at ${fmtGflops(data.best.gflopPerS)}.`
              : 'No shape could run.'}
          </p>
          <div style={stale ? { opacity: 0.45 } : undefined}>
            <SweepHeatmap sweep={data} />
          </div>
          <details>
            <summary>Sweep as a table</summary>
            <ResultsTable
              caption="Tile sweep"
              columns={columns}
              rows={data.cells}
              stale={stale}
              rowKey={(c) => `${c.tileM}x${c.tileN}`}
              name="tiling-sweep"
            />
          </details>
        </>
      ) : sweep?.status !== 'running' ? (
        <p className="muted">
          Times 16 output-tile shapes with your M, N, K, tile K and block. Slow on a software adapter; you can cancel.
        </p>
      ) : null}
    </ChartFrame>
  );
}
