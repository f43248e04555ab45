import { useMemo } from 'react';
import { download } from '../../ui/export';
import { fmtCount, fmtMs, fmtPct, fmtRate } from '../../ui/format';
import { ChartFrame } from '../../ui/ChartFrame';
import { LabSections } from '../../ui/Section';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { dataloaderGuard } from './guard';
import { toChromeTrace } from '../../sim/dataloader/chromeTrace';
import { STORAGE } from '../../sim/dataloader/model';
import type { SpanKind, TraceSpan } from '../../sim/dataloader/types';
import type { LabViewProps } from '../../labkit/contract';
import type { meta } from './meta';
import { Heatmap } from './Heatmap';
import { liveFeed } from './liveFeed';
import type { DataloaderResult } from './run';
import { Timeline, TimelineLegend } from './Timeline';
import { SPEEDS, useLiveFeed, usePlayback } from './useLive';
import './dataloader.css';

const LIVE_WINDOW_MS = 3000;

interface Row {
  metric: string;
  value: string;
  note: string;
}

const columns: Column<Row>[] = [
  { key: 'metric', label: 'Metric', render: (r) => r.metric },
  { key: 'value', label: 'Value', render: (r) => r.value },
  {
    key: 'note',
    label: 'How it is computed',
    render: (r) => <span className="muted">{r.note}</span>,
    value: (r) => r.note,
  },
];

/** Utilization and samples/s of the part of a trace before time t (the playhead). */
function upTo(spans: TraceSpan[], t: number, batchSize: number): { u: number; sps: number } {
  let busy = 0;
  let steps = 0;
  for (const s of spans) {
    if (s.lane !== -1 || s.kind !== 'step' || s.t0 >= t) continue;
    busy += Math.min(s.t1, t) - s.t0;
    if (s.t1 <= t) steps++;
  }
  return t > 0 ? { u: busy / t, sps: (steps * batchSize * 1000) / t } : { u: 0, sps: 0 };
}

function Kpis({ u, sps, extra }: { u: number; sps: number; extra?: { label: string; value: string }[] }) {
  return (
    <div className="dl-kpis">
      <div className="dl-kpi">
        <span className="dl-kpi-value compute" data-testid="utilization">
          {fmtPct(u, 0)}
        </span>
        <span className="dl-kpi-label">GPU utilization</span>
      </div>
      <div className="dl-kpi">
        <span className="dl-kpi-value" data-testid="samples-per-s">
          {fmtCount(Math.round(sps))}
        </span>
        <span className="dl-kpi-label">samples/s</span>
      </div>
      {extra?.map((e) => (
        <div className="dl-kpi" key={e.label}>
          <span className="dl-kpi-value">{e.value}</span>
          <span className="dl-kpi-label">{e.label}</span>
        </div>
      ))}
    </div>
  );
}

export function DataloaderView({ params, result, stale }: LabViewProps<typeof meta.schema, DataloaderResult>) {
  const live = useLiveFeed();
  const data = result.data;
  const liveRunning = result.status === 'running' && live.running;
  const trace = data?.trace;
  const play = usePlayback(trace?.endMs ?? 0, trace);
  const simulated = data?.mode === 'simulated';

  const kinds = useMemo(() => {
    const present = new Set<SpanKind>(
      (liveRunning ? live.spans : (trace?.spans ?? [])).map((s) =>
        s.lane >= 0 && s.kind === 'load' ? 'step' : s.kind,
      ),
    );
    return (['step', 'wait', 'copy', 'read', 'startup'] as SpanKind[]).filter((k) => present.has(k));
  }, [liveRunning, live.version, trace]); // eslint-disable-line react-hooks/exhaustive-deps -- live.version stands for live.spans, which grows in place

  // While running, the timeline shows the last few seconds: fewer shapes per redraw, and the present stays in view.
  const windowed = useMemo(() => {
    const end = live.spans.reduce((m, s) => Math.max(m, s.t1), 1);
    const start = Math.max(0, end - LIVE_WINDOW_MS);
    return {
      start,
      end,
      spans: live.spans.filter((s) => s.t1 >= start),
      queue: live.queue.filter((q) => q.t >= start - 500),
    };
  }, [live.version]); // eslint-disable-line react-hooks/exhaustive-deps -- live.version stands for the live arrays, which grow in place

  const rows: Row[] = data
    ? [
        {
          metric: 'GPU utilization',
          value: fmtPct(data.stats.utilization),
          note: 'time in training steps ÷ wall time',
        },
        {
          metric: 'Samples per second',
          value: fmtRate(data.stats.samplesPerS, 'samples'),
          note: `batches × ${data.cfg.batchSize} ÷ wall time (one rank)`,
        },
        {
          metric: 'GPU waiting for data',
          value: `${fmtMs(data.stats.waitMs)} (${fmtPct(data.stats.wallMs ? data.stats.waitMs / data.stats.wallMs : 0)})`,
          note: 'consumer idle until the next batch was ready',
        },
        {
          metric: 'Load time per batch',
          value: fmtMs(data.stats.meanLoadMs),
          note: `read + decode + transform of ${data.cfg.batchSize} samples, mean`,
        },
        {
          metric: 'Decode cost per sample',
          value: `${fmtMs(data.sampleMsByFormat.csv)} CSV · ${fmtMs(data.sampleMsByFormat.parquet)} Parquet · ${fmtMs(data.sampleMsByFormat.arrow)} Arrow`,
          note: [
            data.mode === 'live' ? 'measured by the workers in this run' : 'measured on this CPU just now',
            // Guard rail: the lesson says Arrow's column views beat Parquet's decode; say why when this CPU measured otherwise.
            ((g) => (g ? `. This run disagrees with the lesson: ${g}` : ''))(
              dataloaderGuard({
                arrowMs: data.sampleMsByFormat.arrow,
                parquetMs: data.sampleMsByFormat.parquet,
                augment: data.cfg.augment,
              }),
            ),
          ].join(''),
        },
        {
          metric: 'Worker start-up',
          value: data.cfg.numWorkers ? fmtMs(data.costs.workerStartMs) : '—',
          note:
            data.mode === 'live'
              ? 'spawn + open the source, measured'
              : 'modelled: spawn + imports of a typical PyTorch worker',
        },
        {
          metric: 'Host→device copy per batch',
          value: fmtMs(data.steady.copyMs),
          note:
            data.mode === 'live'
              ? 'measured (writeBuffer where WebGPU exists)'
              : `${data.cfg.pinMemory ? 'pinned' : 'pageable'}: batch bytes ÷ ${data.cfg.pinMemory ? data.costs.pinnedGBps : data.costs.pageableGBps} GB/s`,
        },
        {
          metric: 'Steady-state prediction',
          value: fmtPct(data.steady.utilization),
          note: `step ÷ max(copy + step, load ÷ workers); ${data.steady.workersNeeded} worker(s) would keep up`,
        },
        ...(data.simulatedUtilization !== null
          ? [
              {
                metric: 'Simulator, fed this run’s costs',
                value: fmtPct(data.simulatedUtilization),
                note: 'the same configuration replayed by the simulator',
              },
            ]
          : []),
        ...(data.mode === 'live'
          ? [
              {
                metric: 'Worker crashes recovered',
                value: `${data.crashes} (${data.reissued} batches re-issued)`,
                note: 'this pipeline’s recovery (PyTorch raises instead); every batch delivered exactly once',
              },
            ]
          : []),
        {
          metric: 'Simulator run time',
          value: fmtMs(data.simulatorMs),
          note: `${fmtCount(data.stats.batches)} steps, ${data.cfg.numWorkers} workers`,
        },
      ]
    : [];

  const downloadTrace = () => {
    if (!data) return;
    const json = toChromeTrace(data.trace, {
      lab: 'dataloader',
      mode: data.mode,
      config: data.cfg,
      environment: data.env,
      utilization: data.stats.utilization,
    });
    download('dataloader-trace.json', new Blob([JSON.stringify(json)], { type: 'application/json' }));
  };

  let picture;
  if (liveRunning) {
    picture = (
      <>
        <Kpis
          u={live.utilization}
          sps={live.samplesPerS}
          extra={[
            { label: 'steps', value: `${live.done} / ${live.total}` },
            { label: 'crashes recovered', value: String(live.crashes) },
          ]}
        />
        <ChartFrame
          title="Live: workers and GPU over time"
          name="dataloader-live"
          actions={
            live.lanes[0] !== 'main thread' ? (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => liveFeed.crashWorker(0)}
                title="Worker 0 dies on its next batch; the pool restarts it and re-issues its batches"
              >
                Crash worker 0
              </button>
            ) : null
          }
        >
          <Timeline
            lanes={live.lanes}
            spans={windowed.spans}
            queue={windowed.queue}
            startMs={windowed.start}
            endMs={windowed.end}
            version={live.version}
          />
        </ChartFrame>
        <TimelineLegend kinds={kinds} />
      </>
    );
  } else if (data && trace) {
    const at = simulated ? upTo(trace.spans, play.t, data.cfg.batchSize) : null;
    const nextStep = () => {
      const s = trace.spans.find((x) => x.lane === -1 && x.kind === 'step' && x.t1 > play.t + 1e-6);
      play.setPlaying(false);
      play.setT(s ? s.t1 : trace.endMs);
    };
    picture = (
      <>
        <Kpis
          u={data.stats.utilization}
          sps={data.stats.samplesPerS}
          extra={[
            { label: 'mode', value: data.mode === 'live' ? 'live workers' : 'simulated' },
            ...(at && play.t < trace.endMs
              ? [{ label: `so far, at ${fmtMs(play.t)}`, value: `${fmtPct(at.u, 0)} busy` }]
              : []),
          ]}
        />
        <div className={`dl-diagnosis ${data.diagnosis.bound}`} data-testid="diagnosis" role="status">
          <p>
            <strong>{data.diagnosis.text}</strong>
          </p>
          <p>{data.diagnosis.lever}</p>
        </div>
        {data.notes.length ? (
          <div className="notice" role="status">
            {data.notes.map((n) => (
              <p key={n}>{n}</p>
            ))}
          </div>
        ) : null}
        <ChartFrame
          title={`${data.mode === 'live' ? 'Live run' : 'Simulated run'}: workers and GPU over time${trace.truncated ? ' (first steps)' : ''}`}
          name="dataloader-timeline"
          actions={
            <span className="dl-play">
              {simulated ? (
                <>
                  <button type="button" className="btn btn-small" onClick={() => play.setPlaying(!play.playing)}>
                    {play.playing ? 'Pause' : 'Play'}
                  </button>
                  <button type="button" className="btn btn-small" onClick={nextStep}>
                    Step
                  </button>
                  <label className="muted">
                    speed{' '}
                    <select
                      value={play.speed}
                      onChange={(e) => play.setSpeed(Number(e.target.value))}
                      aria-label="Playback speed"
                    >
                      {SPEEDS.map((s) => (
                        <option key={s} value={s}>
                          {s}× real time
                        </option>
                      ))}
                    </select>
                  </label>
                </>
              ) : null}
              <button
                type="button"
                className="btn btn-small"
                onClick={downloadTrace}
                title="Chrome Trace Event JSON: open it in ui.perfetto.dev or chrome://tracing"
              >
                Trace JSON
              </button>
            </span>
          }
        >
          <Timeline
            lanes={trace.lanes}
            spans={trace.spans}
            queue={trace.queue}
            endMs={trace.endMs}
            untilMs={simulated ? play.t : undefined}
          />
        </ChartFrame>
        <TimelineLegend kinds={kinds} />
      </>
    );
  } else {
    picture = (
      <p className="muted">
        {result.status === 'running'
          ? 'Starting…'
          : result.status === 'error'
            ? result.error
            : 'Press Run to start the pipeline.'}
      </p>
    );
  }

  return (
    <LabSections
      picture={picture}
      results={
        data ? (
          <div className="dl-two">
            <ChartFrame
              title="GPU utilization by num_workers × prefetch_factor (simulated, up to 600 steps each)"
              name="dataloader-sweep"
            >
              <Heatmap sweep={data.sweep} workers={data.cfg.numWorkers} prefetch={data.cfg.prefetchFactor} />
            </ChartFrame>
            <ResultsTable
              caption="Pipeline measurements"
              columns={columns}
              rows={rows}
              stale={stale}
              rowKey={(r) => r.metric}
              name="dataloader"
              source={params.mode === 'live' ? 'measured' : 'simulated'}
            />
          </div>
        ) : null
      }
      explanation={
        <>
          <p>
            Every training step needs a batch. A <strong>worker</strong> reads samples from the source, decodes them
            (parsing CSV text costs far more than viewing a column of floats) and runs the transforms; the batch is then
            copied to the GPU and the step runs. When loading a batch takes longer than a step, the GPU sits{' '}
            <span className="muted">idle (grey)</span> and utilization is{' '}
            <em>step ÷ max(copy + step, load ÷ workers)</em>.
          </p>
          <p>
            <strong>num_workers</strong> loads batches in parallel; <strong>prefetch_factor</strong> lets each worker
            run ahead by that many batches, which absorbs slow batches but not a slow average;{' '}
            <strong>pin_memory</strong> puts batches in page-locked memory that the GPU copies by DMA without a staging
            buffer (faster here; in PyTorch its larger gain is letting <code>.to(device, non_blocking=True)</code>{' '}
            overlap the copy with compute, which this model leaves out); <strong>persistent_workers</strong> avoids
            paying the worker start-up again every epoch, though the prefetch queue still refills from empty at each
            epoch, as PyTorch re-primes it. With 0 workers the training thread loads each batch itself, between steps,
            exactly as PyTorch does.
          </p>
          <p>
            The live mode runs this pipeline for real in Web Workers: batches come back as transferred buffers (no
            copy), a crashed worker is restarted and its batches are re-issued, each batch arriving exactly once. That
            recovery is this playground’s, not PyTorch’s: a PyTorch worker that dies raises “DataLoader worker (pid(s)
            …) exited unexpectedly” as a RuntimeError instead. The simulator replays the same pipeline event by event
            with costs measured on this CPU, so it can run 64 workers, 100,000 steps, network storage
            {params.storage && params.storage !== 'memory'
              ? ` (${STORAGE[String(params.storage) as 'nvme' | 'object']?.label ?? ''})`
              : ''}{' '}
            and many data-parallel ranks in milliseconds. Download the trace and open it in Perfetto to inspect every
            span.
          </p>
          <p className="muted">
            Sources: PyTorch’s torch.utils.data documentation (num_workers, prefetch_factor with its default of 2,
            pin_memory, persistent_workers) and its source, <code>torch/utils/data/dataloader.py</code> (round-robin
            batch assignment through <code>_worker_queue_idx_cycle</code>, the prefetch loop re-primed in{' '}
            <code>_reset</code> every epoch, the worker-exit error); M. Harris, “How to Optimize Data Transfers in CUDA
            C/C++”, NVIDIA blog, 2012 (pinned vs pageable copies). The copy rates (24 GB/s pinned, 8 GB/s pageable, PCIe
            4 ×16) and storage figures are modelled, not measured.
          </p>
        </>
      }
    />
  );
}
