import { fmtBytes, fmtGflops, fmtMs } from '../../ui/format';
import { JobBar } from '../../ui/JobBar';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import type { MatmulDims } from '../../kernels/matmul/types';
import type { LabViewProps } from '../../labkit/contract';
import type { TilingJob, TilingJobActions } from './jobs';
import { bestPeer, percentOf, runLadderWithPeers, type LadderRow, type StoredAutotune } from './ladder';
import { shapeLabel } from './params';
import { timingFor } from './run';

export const LADDER_JOB = 'ladder';

interface Props extends Pick<LabViewProps, 'device'> {
  actions: TilingJobActions;
  job: TilingJob<'ladder'>;
  dims: MatmulDims;
  autotuned: StoredAutotune | null;
}

const pct = (x: number | null) => (x === null ? '—' : `${x.toFixed(x < 10 ? 1 : 0)}%`);

/**
 * The SGEMM-worklog ladder on this device: every rung checked against the CPU, timed, its bytes
 * counted and held to the cost model, with coalescing and bank figures from the trace model.
 */
export function LadderPanel({ job, dims, autotuned, actions, device }: Props) {
  const data = job?.data ?? null;
  const fma = device.ceilings?.fma.gflopPerS ?? null;
  const peer = bestPeer(data?.peers);
  const columns: Column<LadderRow>[] = [
    { key: 'rung', label: 'Rung', render: (r) => <span title={r.lesson}>{r.label}</span>, value: (r) => r.label },
    { key: 'shape', label: 'Shape', render: (r) => shapeLabel(r.variant, r.shape) },
    {
      key: 'rate',
      label: 'Compute',
      render: (r) => (r.gflopPerS === null ? '—' : <span className="compute">{fmtGflops(r.gflopPerS)}</span>),
      value: (r) => r.gflopPerS ?? '',
    },
    {
      key: 'time',
      label: 'Median',
      unit: 'time',
      render: (r) => (r.medianMs === null ? '—' : fmtMs(r.medianMs)),
      value: (r) => r.medianMs ?? '',
    },
    {
      key: 'fma',
      label: '% of FMA peak',
      render: (r) => pct(percentOf(r.gflopPerS, fma)),
      value: (r) => percentOf(r.gflopPerS, fma) ?? '',
    },
    {
      key: 'peer',
      label: '% of best peer',
      render: (r) => pct(percentOf(r.gflopPerS, peer?.gflopPerS)),
      value: (r) => percentOf(r.gflopPerS, peer?.gflopPerS) ?? '',
    },
    {
      key: 'bytes',
      label: 'Bytes moved',
      unit: 'model',
      render: (r) => <span className="hbm">{fmtBytes(r.bytesMoved)}</span>,
      value: (r) => r.bytesMoved,
    },
    {
      key: 'counted',
      label: 'Counted',
      render: (r) =>
        r.countsMatch === null ? (r.note ? '—' : 'not counted') : r.countsMatch ? '= model ✓' : '≠ model ✗',
      value: (r) => (r.counted ? r.counted.bytesRead + r.counted.bytesWritten : ''),
    },
    {
      key: 'seg',
      label: 'Segments / global access',
      render: (r) =>
        `${r.access.segmentsPerAccess.toFixed(2)} (ideal ${(r.access.idealSegments / Math.max(1, r.access.globalAccesses)).toFixed(2)})`,
      value: (r) => r.access.segmentsPerAccess,
    },
    {
      key: 'conf',
      label: 'Conflicts / shared access',
      render: (r) => r.access.conflictsPerAccess.toFixed(2),
      value: (r) => r.access.conflictsPerAccess,
    },
    {
      key: 'err',
      label: 'Error',
      render: (r) => (r.error === null ? (r.note ?? '—') : r.error.toExponential(1)),
      value: (r) => r.error ?? r.note ?? '',
    },
  ];
  return (
    <section className="ladder-panel" aria-label="Matmul ladder">
      <h3>The ladder: from naive to autotuned, on this device</h3>
      <p>
        Each rung changes one thing, in the order of Simon Boehm’s “How to optimize a CUDA matmul kernel” worklog (which
        climbs from 1.3% to 93.7% of cuBLAS on an A6000). Hover a rung for its lesson. M×N×K = {dims.M}×{dims.N}×
        {dims.K}.{' '}
        {autotuned
          ? `The autotuned rung is the sweep’s best on this adapter (${shapeLabel(autotuned.variant, autotuned.shape)}, remembered in this browser).`
          : 'Run the tile sweep below to add an autotuned rung (its best shape is remembered for this adapter in this browser).'}
      </p>
      <JobBar
        job={job}
        label="Climb the ladder"
        again="Climb again"
        disabled={device.status !== 'ready'}
        onCancel={() => actions.cancelJob(LADDER_JOB)}
        onRun={() =>
          actions.runJob(
            LADDER_JOB,
            (ctx) => {
              if (!ctx.runtime) throw new Error('The ladder runs real GPU kernels and needs WebGPU.');
              return runLadderWithPeers(ctx.runtime, dims, {
                timing: timingFor(ctx.runtime, dims, ctx.signal),
                signal: ctx.signal,
                progress: ctx.progress,
                autotuned: autotuned ? { variant: autotuned.variant, shape: autotuned.shape } : null,
              });
            },
            { key: `${dims.M}x${dims.N}x${dims.K}/${autotuned ? JSON.stringify(autotuned.shape) : ''}` },
          )
        }
      />
      {data ? (
        <>
          <ResultsTable
            caption={`Matmul ladder, ${data.dims.M}×${data.dims.N}×${data.dims.K} (measured on ${data.adapter})`}
            columns={columns}
            rows={data.rows}
            rowKey={(r) => r.id}
            name="tiling-ladder"
          />
          <p className="muted" data-testid="ladder-notes">
            % of FMA peak: against this device’s measured FMA-chain rate
            {fma ? ` (${fmtGflops(fma)})` : ' (not measured yet: open the device lab)'}. % of best peer: against{' '}
            {peer
              ? `${peer.label} (${fmtGflops(peer.gflopPerS ?? 0)}, checked, same operands)`
              : 'no peer (none loaded or passed its check)'}
            . Segments and conflicts are per subgroup of 32 for the first workgroup’s first K step, from the trace model
            that the GPU trace matches (tests); a 16-byte (vec4) workgroup-memory access is counted as NVIDIA serves it,
            in four quarter-warp phases of 8 lanes, so 4 passes is its conflict-free least. Bytes are requested from
            global memory (cost model), and the counted column is the instrumented build’s atomics.{' '}
            {data.software
              ? 'This adapter is SwiftShader, a CPU: it has no coalescing or banks, so the rungs’ order of speed there says nothing about a GPU.'
              : ''}
          </p>
        </>
      ) : null}
    </section>
  );
}
