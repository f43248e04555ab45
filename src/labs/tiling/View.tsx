import { useEffect, useMemo, useState } from 'react';
import { ChartFrame } from '../../ui/ChartFrame';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { LabSections } from '../../ui/Section';
import { fmtBytes, fmtGflops, fmtMs, fmtRatio } from '../../ui/format';
import { Roofline } from '../../charts/Roofline';
import type { LabViewProps } from '../../labkit/contract';
import type { TilingJobs } from './jobs';
import type { meta } from './meta';
import { BlockInset } from './BlockInset';
import { KLoopPanel } from './KLoopPanel';
import { autotuneStorageKey, parseStoredAutotune, type StoredAutotune } from './ladder';
import { LADDER_JOB, LadderPanel } from './LadderPanel';
import { TRACE_JOB, TracePanel } from './TracePanel';
import { PeerCompare } from './PeerCompare';
import { PlayerControls } from './PlayerControls';
import { tilingArgs, shapeLabel } from './params';
import type { TilingResult, VariantRun } from './run';
import { SWEEP_JOB, SweepPanel } from './SweepPanel';
import { TileGrid } from './TileGrid';
import { tilingGuard } from './guard';
import { GuardNote } from '../../ui/GuardNote';
import { useStepPlayer } from '../../ui/useStepPlayer';
import './tiling.css';

interface HistoryRow {
  n: number;
  size: string;
  kernel: string;
  shape: string;
  gflopPerS: number;
  speedup: number;
  reuse: number;
}

const runColumns = (naive: VariantRun | undefined): Column<VariantRun>[] => [
  { key: 'kernel', label: 'Kernel', render: (r) => r.label },
  { key: 'shape', label: 'Tile shape', render: (r) => shapeLabel(r.variant, r.shape) },
  { key: 'time', label: 'Median', unit: 'time', render: (r) => fmtMs(r.medianMs), value: (r) => r.medianMs },
  {
    key: 'rate',
    label: 'Compute',
    render: (r) => <span className="compute">{fmtGflops(r.gflopPerS)}</span>,
    value: (r) => r.gflopPerS,
  },
  {
    // The model's bytes, and whether the instrumented kernel's atomic counters agree with it.
    key: 'bytes',
    label: 'Global traffic (model; counted)',
    render: (r) => (
      <>
        <span className="hbm">{fmtBytes(r.cost.bytesRead + r.cost.bytesWritten)}</span>
        <br />
        <span className="muted">
          {r.counted
            ? r.counted.bytesRead === r.cost.bytesRead && r.counted.bytesWritten === r.cost.bytesWritten
              ? '✓ counted, equal'
              : `✗ counted ${fmtBytes(r.counted.bytesRead + r.counted.bytesWritten)}`
            : 'not counted (over 4 GiB)'}
        </span>
      </>
    ),
    value: (r) => r.cost.bytesRead + r.cost.bytesWritten,
  },
  {
    key: 'reuse',
    label: 'Reuse vs naive',
    render: (r) => fmtRatio(naive ? naive.cost.bytesRead / r.cost.bytesRead : 1),
    value: (r) => (naive ? naive.cost.bytesRead / r.cost.bytesRead : 1),
  },
  {
    key: 'err',
    label: 'Relative error',
    render: (r) => (
      <span title={`${r.checkedOutputs} outputs checked against the CPU`}>{r.relError.toExponential(1)}</span>
    ),
    value: (r) => r.relError,
  },
  {
    key: 'wg',
    label: 'Per workgroup',
    render: (r) => (
      <>
        <span className="sram">{fmtBytes(r.workgroupBytes)}</span>
        <br />
        <span className="muted">{r.invocations} invocations</span>
      </>
    ),
    value: (r) => r.workgroupBytes,
  },
];

const historyColumns: Column<HistoryRow>[] = [
  { key: 'n', label: '#', render: (r) => String(r.n) },
  { key: 'size', label: 'M×N×K', render: (r) => r.size },
  { key: 'kernel', label: 'Kernel', render: (r) => r.kernel },
  { key: 'shape', label: 'Tile shape', render: (r) => r.shape },
  { key: 'rate', label: 'Compute', render: (r) => fmtGflops(r.gflopPerS), value: (r) => r.gflopPerS },
  { key: 'speedup', label: 'vs naive', render: (r) => fmtRatio(r.speedup), value: (r) => r.speedup },
  { key: 'reuse', label: 'Reuse', render: (r) => fmtRatio(r.reuse), value: (r) => r.reuse },
];

export function TilingView({
  params,
  result,
  stale,
  jobs,
  device,
  actions,
}: LabViewProps<typeof meta.schema, TilingResult, TilingJobs>) {
  const { info, ceilings, points } = device;
  const data = result.data;

  // The picture shows the measured run's shape; before the first run, the chosen one.
  const chosen = useMemo(() => tilingArgs(params), [params]);
  const dims = data?.dims ?? chosen.dims;
  const shape = data?.shape ?? chosen.shape;
  const variant = data?.variant ?? chosen.variant;
  const valid = [dims.M, dims.N, dims.K, shape.tileM, shape.tileN, shape.tileK].every(
    (x) => Number.isInteger(x) && x >= 1,
  );
  const shapeKey = `${dims.M}x${dims.N}x${dims.K}/${shape.tileM}x${shape.tileN}x${shape.tileK}`;
  const stepsK = valid ? Math.ceil(dims.K / shape.tileK) : 1;
  // One K step per 700 ms at 1×, wrapping so the loop keeps showing on a page left open.
  const player = useStepPlayer(stepsK, shapeKey, { msPerStep: 700, loop: true });
  const [tile, setTile] = useState({ tm: 0, tn: 0 });
  useEffect(() => setTile({ tm: 0, tn: 0 }), [shapeKey]);

  const [history, setHistory] = useState<HistoryRow[]>([]);
  useEffect(() => {
    if (!data || data.runs.length < 2) return;
    const [naive, tiled] = data.runs;
    setHistory((h) =>
      [
        {
          n: (h[0]?.n ?? 0) + 1,
          size: `${data.dims.M}×${data.dims.N}×${data.dims.K}`,
          kernel: tiled.label,
          shape: shapeLabel(tiled.variant, tiled.shape),
          gflopPerS: tiled.gflopPerS,
          speedup: tiled.gflopPerS / naive.gflopPerS,
          reuse: naive.cost.bytesRead / tiled.cost.bytesRead,
        },
        ...h,
      ].slice(0, 10),
    );
  }, [data]);

  // The sweep's best shape, remembered per adapter in this browser: the ladder's autotuned rung.
  const adapter = info?.name ?? null;
  const [autotuned, setAutotuned] = useState<StoredAutotune | null>(null);
  useEffect(() => {
    if (!adapter) return;
    try {
      setAutotuned(parseStoredAutotune(globalThis.localStorage?.getItem(autotuneStorageKey(adapter)) ?? null));
    } catch {
      setAutotuned(null);
    }
  }, [adapter]);
  const sweepData = jobs[SWEEP_JOB]?.status === 'done' ? (jobs[SWEEP_JOB]?.data ?? null) : null;
  useEffect(() => {
    if (!adapter || !sweepData?.best) return;
    const block = sweepData.variant === 'tiled' ? 1 : sweepData.block;
    const entry: StoredAutotune = {
      variant: sweepData.variant,
      shape: {
        tileM: sweepData.best.tileM,
        tileN: sweepData.best.tileN,
        tileK: sweepData.tileK,
        blockM: block,
        blockN: sweepData.variant === 'register-blocked-vec4' ? 4 : block,
      },
      gflopPerS: sweepData.best.gflopPerS,
      dims: sweepData.dims,
    };
    // Keep the faster of the stored and the new best (a sweep of a slower kernel does not replace it).
    if (autotuned && autotuned.gflopPerS >= entry.gflopPerS) return;
    setAutotuned(entry);
    try {
      globalThis.localStorage?.setItem(autotuneStorageKey(adapter), JSON.stringify(entry));
    } catch {
      // Storage may be full or blocked; the rung still works for this page.
    }
  }, [adapter, sweepData]); // eslint-disable-line react-hooks/exhaustive-deps -- only a new sweep stores its best; autotuned is what it writes

  const naive = data?.runs.find((r) => r.variant === 'naive');
  const mine = data?.runs.find((r) => r.variant !== 'naive');
  const guard =
    mine && naive
      ? tilingGuard({
          label: mine.label,
          gflops: mine.gflopPerS,
          naiveGflops: naive.gflopPerS,
          bytesRead: mine.cost.bytesRead,
          naiveBytesRead: naive.cost.bytesRead,
          software: Boolean(data?.software),
        })
      : null;
  const safeTile = {
    tm: Math.min(tile.tm, Math.ceil(dims.M / shape.tileM) - 1),
    tn: Math.min(tile.tn, Math.ceil(dims.N / shape.tileN) - 1),
  };

  return (
    <LabSections
      picture={
        <>
          {mine && naive ? (
            <div className="measure-headline" data-testid="tiling-headline">
              <div>
                <span className="v compute" data-testid="tiled-gflops">
                  {fmtGflops(mine.gflopPerS)}
                </span>
                <span className="k">{mine.label}</span>
              </div>
              <div>
                <span className="v">{fmtMs(mine.medianMs)}</span>
                <span className="k">median time</span>
              </div>
              <div>
                <span className="v hbm">{fmtBytes(mine.cost.bytesRead + mine.cost.bytesWritten)}</span>
                <span className="k">global bytes moved</span>
              </div>
              <div>
                <span className="v">{fmtRatio(naive.cost.bytesRead / mine.cost.bytesRead)}</span>
                <span className="k">less traffic than naive (reuse)</span>
              </div>
              <div>
                <span className="v">{fmtRatio(mine.gflopPerS / naive.gflopPerS)}</span>
                <span className="k">speed vs naive ({fmtGflops(naive.gflopPerS)})</span>
              </div>
              {stale ? <span className="stale-note">Parameters changed: re-measuring…</span> : null}
            </div>
          ) : (
            <p className="muted">
              {result.status === 'running'
                ? `Measuring… ${result.progressText}`
                : 'Run to measure the kernels on this device.'}
            </p>
          )}
          {valid ? (
            // The tile grid and its player are the main picture; the K loop's numbers sit beside it (after the controls on a phone).
            <div className="tiling-picture">
              <ChartFrame
                title="The K loop of one workgroup: choose an output tile in C"
                name="tiling-k-loop"
                actions={<PlayerControls p={player} />}
              >
                <TileGrid dims={dims} shape={shape} tile={safeTile} step={player.step} onSelect={setTile} />
                <ul className="legend" aria-label="Legend">
                  <li>
                    <span className="sw sw-band" />
                    rows and columns this tile needs
                  </li>
                  <li>
                    <span className="sw sw-sram" />
                    tile in workgroup memory now (just read from global)
                  </li>
                  <li>
                    <span className="sw sw-read" />
                    read earlier, already dropped
                  </li>
                  <li>
                    <span className="sw sw-out" />
                    output tile, accumulating
                  </li>
                </ul>
              </ChartFrame>
              <div className="tiling-kloop-side">
                <p className="tg-step" data-testid="kloop-step">
                  K step {player.step + 1} of {stepsK}
                </p>
                <KLoopPanel
                  dims={dims}
                  shape={shape}
                  variant={variant}
                  tile={safeTile}
                  step={player.step}
                  workgroupLimit={info?.limits.maxComputeWorkgroupStorageSize ?? null}
                />
                {variant !== 'tiled' ? (
                  <>
                    <p className="muted">
                      Invocation (0, 0) keeps these {shape.blockM}×{shape.blockN} outputs of the tile in registers:
                    </p>
                    <BlockInset shape={shape} vec4={variant === 'register-blocked-vec4'} />
                  </>
                ) : null}
              </div>
            </div>
          ) : null}
          {valid ? (
            <TracePanel
              job={jobs[TRACE_JOB]}
              dims={dims}
              variant={variant}
              shape={shape}
              tile={safeTile}
              step={player.step}
              adapterSubgroup={info?.subgroupSizes?.max ?? null}
              actions={actions}
              device={device}
            />
          ) : null}
          <SweepPanel params={params} sweep={jobs[SWEEP_JOB]} actions={actions} />
          <ChartFrame title="Roofline: this lab’s kernels beside every other lab’s (log–log)" name="tiling-roofline">
            <Roofline points={points} ceilings={ceilings} profileIds={['apple-m2', 'rtx-4090']} highlightLab="tiling" />
          </ChartFrame>
        </>
      }
      results={
        <>
          <ResultsTable
            caption="This run: naive baseline and your tiled kernel"
            columns={runColumns(naive)}
            rows={data?.runs ?? []}
            stale={stale}
            rowKey={(r) => r.variant}
            name="tiling-run"
          />
          {history.length > 1 ? (
            <ResultsTable
              caption="Your runs this session (newest first)"
              columns={historyColumns}
              rows={history}
              rowKey={(r) => String(r.n)}
              name="tiling-history"
            />
          ) : null}
          <LadderPanel job={jobs[LADDER_JOB]} dims={dims} autotuned={autotuned} actions={actions} device={device} />
          <PeerCompare dims={data?.dims ?? null} ours={mine ?? null} />
        </>
      }
      explanation={
        <>
          <p>
            The <strong>naive</strong> kernel gives every output its own invocation, which reads a full row of A and
            column of B from <strong className="hbm">global memory</strong>: 2·M·N·K loads for 2·M·N·K FLOPs, a quarter
            FLOP per byte requested, so it waits on memory. <strong>Tiling</strong> has a workgroup copy a tile of A and
            a tile of B into <strong className="sram">workgroup memory</strong> (on-chip, shared by the workgroup) once
            per K step, then reuse each value for a whole row or column of its output tile: A is read ⌈N/tile N⌉ times
            instead of N times, B ⌈M/tile M⌉ times instead of M.
          </p>
          <p>
            <strong>Register blocking</strong> applies the same idea one level down: each invocation computes a block of
            outputs, so every value it reads from workgroup memory feeds several multiply-adds held in registers. Bigger
            tiles reuse more but need more workgroup memory and invocations, both limited per device (here{' '}
            {info
              ? `${fmtBytes(info.limits.maxComputeWorkgroupStorageSize)} and ${info.limits.maxComputeInvocationsPerWorkgroup}`
              : 'shown once the GPU is known'}
            ). Too few workgroups leave cores idle, which is why the fastest tile depends on the matrix size and the
            GPU: the sweep measures it.
          </p>
          <p>
            The <strong>vec4</strong> kernel keeps the same tiles and traffic but moves four floats per load and store
            (vec4&lt;f32&gt;): a quarter of the memory instructions and their bounds checks, and 16-byte accesses that
            neighbouring invocations issue side by side. Production libraries (TensorFlow.js, onnxruntime-web) pack
            their matmuls the same way; compare with them below.
          </p>
          <p>
            Traffic figures come from a formula (cost.ts) that the instrumented kernels’ atomic counters match exactly,
            ragged edges included; every output is checked against a CPU reference. They count bytes <em>requested</em>{' '}
            from global memory, which is what the roofline’s intensity uses here; real DRAM traffic differs both ways:
            caches serve repeated reads (lower: the naive kernel’s re-reads of A and B often hit cache, which is why it
            is not as slow as its bytes suggest and can plot above the bandwidth roof) and scattered reads fetch whole
            32-byte sectors (higher). For scale: a user running gpu.cpp’s WGSL matmul example on a MacBook Air M2
            measured 887 GFLOP/s at M×N×K = 4096×8192×4096 in this lab’s order (a report in gpu.cpp issue #40, not a
            published benchmark), about a quarter of the M2’s derived 3.6 TFLOP/s FP32 peak.
          </p>
          {/* Guard rail: the lesson says tiling pays; when this run measured otherwise, say so and why, beside the numbers. */}
          {guard ? (
            <GuardNote message={guard} />
          ) : data?.software ? (
            <p>
              This adapter is SwiftShader, a CPU: there, barriers cost more than the memory traffic tiling saves, so
              tiling may not pay. On a GPU it does.
            </p>
          ) : null}
        </>
      }
    />
  );
}
