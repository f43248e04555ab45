import { useMemo, useState } from 'react';
import { accessGrid, subgroupAccesses, summarizeAccesses } from '../../kernels/matmul/access';
import { traceMatmul } from '../../kernels/matmul/trace';
import { modelTrace, traceSteps, traceTiles } from '../../kernels/matmul/traceModel';
import type { MatmulDims, MatmulVariant, TileShape } from '../../kernels/matmul/types';
import { ChartFrame } from '../../ui/ChartFrame';
import type { LabViewProps } from '../../labkit/contract';
import type { TilingJob, TilingJobActions } from './jobs';
import { AccessHeatmap } from './AccessHeatmap';
import { LADDER } from './ladder';

export const TRACE_JOB = 'trace' as const;

interface Props extends Pick<LabViewProps, 'device'> {
  actions: TilingJobActions;
  job: TilingJob<'trace'>;
  dims: MatmulDims;
  /** The lab's own kernel, traced when "your kernel" is chosen. */
  variant: MatmulVariant;
  shape: TileShape;
  /** The output tile and K step the tile view shows. */
  tile: { tm: number; tn: number };
  step: number;
  /** The adapter's subgroup size where the browser reports it. */
  adapterSubgroup: number | null;
}

const MINE = 'mine';

/**
 * Coalescing and bank conflicts of one workgroup's K step, for the output tile and step the tile
 * view shows: the CPU model of the kernel's index expressions is drawn at once; "Trace on the GPU"
 * runs the instrumented build and checks that the addresses the kernel really touched are the same.
 */
export function TracePanel({ job, dims, variant, shape, tile, step, adapterSubgroup, actions, device }: Props) {
  const [rungId, setRungId] = useState<string>(MINE);
  const [width, setWidth] = useState(32);
  const rung = LADDER.find((r) => r.id === rungId);
  const v = rung?.variant ?? variant;
  const s = rung?.shape ?? shape;
  const tiles = traceTiles(v, dims, s);
  const steps = traceSteps(v, dims, s);
  const point = {
    tm: Math.min(tile.tm, tiles.rows - 1),
    tn: Math.min(tile.tn, tiles.cols - 1),
    step: Math.min(step, steps - 1),
  };
  const key = `${v}/${JSON.stringify(s)}/${dims.M}x${dims.N}x${dims.K}/${point.tm},${point.tn},${point.step}`;
  const model = useMemo(() => modelTrace(v, dims, s, point), [key]); // eslint-disable-line react-hooks/exhaustive-deps -- key encodes v, dims, s and point, which are new objects every render
  const acc = useMemo(() => subgroupAccesses(model, width), [model, width]);
  const summary = summarizeAccesses(acc);
  // A conflict-free 16-byte access takes 4 passes (one per 8-lane phase): shade only what exceeds the least.
  const sharedIdeal = Math.max(1, ...acc.filter((a) => a.kind === 'shared').map((a) => a.ideal));
  const gpu = job?.status === 'done' && job.paramsKey === key ? job.data : null;
  const gpuMatches = gpu ? JSON.stringify(gpu.events) === JSON.stringify(model) : null;
  const widths = [...new Set([32, ...(adapterSubgroup ? [adapterSubgroup] : [])])];
  return (
    <ChartFrame title={`Accesses of one workgroup in one K step, per subgroup of ${width}`} name="tiling-access-trace">
      <div className="trace-controls">
        <label>
          Kernel{' '}
          <select value={rungId} onChange={(e) => setRungId(e.target.value)} aria-label="Kernel to trace">
            <option value={MINE}>your kernel (the sliders’ shape)</option>
            {LADDER.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Subgroup{' '}
          <select value={width} onChange={(e) => setWidth(Number(e.target.value))} aria-label="Subgroup size">
            {widths.map((w) => (
              <option key={w} value={w}>
                {w}
                {w === 32 ? ' (an NVIDIA warp)' : ' (this adapter)'}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn"
          disabled={device.status !== 'ready' || job?.status === 'running'}
          onClick={() =>
            actions.runJob(
              TRACE_JOB,
              (ctx) => {
                if (!ctx.runtime) throw new Error('Tracing runs the kernel and needs WebGPU.');
                return traceMatmul(ctx.runtime, v, dims, s, point);
              },
              { key },
            )
          }
        >
          {job?.status === 'running' ? 'Tracing…' : 'Trace on the GPU'}
        </button>
      </div>
      <p className="muted" data-testid="trace-point">
        Output tile ({point.tm}, {point.tn}), K step {point.step + 1} of {steps}: the tile the view above shows
        {point.tm !== tile.tm || point.tn !== tile.tn || point.step !== step ? ' (clamped to this kernel’s tiles)' : ''}
        .{' '}
        {adapterSubgroup === null
          ? 'This browser does not report the adapter’s subgroup size, so 32 is offered.'
          : null}
      </p>
      <div className="trace-maps">
        <div>
          <h4>
            Global memory: 128-byte segments per access <span className="muted">(A reads, B reads)</span>
          </h4>
          <AccessHeatmap
            grid={accessGrid(acc, 'global')}
            kind="global"
            ideal={1}
            label="128-byte segments touched per subgroup access of global memory"
          />
          <p data-testid="trace-global">
            {summary.globalAccesses} subgroup accesses touched {summary.segments} segments; perfectly coalesced they
            would need {summary.idealSegments} ({summary.segmentsPerAccess.toFixed(2)} per access).
          </p>
        </div>
        <div>
          <h4>
            Workgroup memory: bank passes per access (32 banks × 4 bytes; a 16-byte access in four 8-lane phases, 4 at
            least)
          </h4>
          <AccessHeatmap
            grid={accessGrid(acc, 'shared')}
            kind="shared"
            ideal={sharedIdeal}
            label="Bank passes per subgroup access of workgroup memory"
          />
          <p data-testid="trace-shared">
            {summary.sharedAccesses} accesses took {summary.bankPasses} passes where {summary.idealPasses} is the least
            possible: {summary.conflictsPerAccess.toFixed(2)} extra passes (conflicts) per access.
          </p>
        </div>
      </div>
      <p data-testid="trace-source">
        {gpu
          ? gpuMatches
            ? `Traced on the GPU: the ${gpu.events.flat().length} addresses the kernel touched equal the CPU model’s, access for access.`
            : 'Traced on the GPU: the addresses DIFFER from the CPU model (a bug in the kernel or the model).'
          : job?.status === 'error'
            ? `The GPU trace failed: ${job.error}`
            : 'Drawn from the CPU model of the kernel’s index expressions; “Trace on the GPU” records the real addresses and compares.'}
        {gpu?.truncated
          ? ' Some invocations made more accesses than the trace stores; the counts above are the model’s.'
          : ''}
      </p>
    </ChartFrame>
  );
}
