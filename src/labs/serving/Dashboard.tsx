import type { AlertEvent, Sample } from '../../sim/serving/monitor';
import { ALERT_LABELS } from '../../sim/serving/monitor';
import { servingChromeTrace } from '../../sim/serving/chromeTrace';
import { download, toCsv } from '../../ui/export';
import { fmtCount, fmtMs, fmtPct } from '../../ui/format';
import type { MonitorResult, MonitorSnapshot } from './jobs';
import { JobBar } from '../../ui/JobBar';
import type { JobPanelProps } from './panel';
import { LineChart, type Series } from '../../charts/LineChart';

const sec = (s: number) => fmtMs(s * 1000);
const tFmt = (t: number) => (t >= 100 ? t.toFixed(0) : t.toFixed(1));

function fmtAlert(e: AlertEvent): string {
  const v =
    e.metric === 'kv' || e.metric === 'rejectRate'
      ? fmtPct(e.value)
      : e.metric === 'ttftP99S'
        ? sec(e.value)
        : fmtCount(Math.round(e.value));
  const th =
    e.metric === 'kv' || e.metric === 'rejectRate'
      ? fmtPct(e.threshold)
      : e.metric === 'ttftP99S'
        ? sec(e.threshold)
        : fmtCount(e.threshold);
  return `${ALERT_LABELS[e.metric]} ${v} ${e.kind === 'fired' ? '>' : '≤'} ${th}`;
}

const SAMPLE_HEADER = [
  't_s',
  'latency_p50_s',
  'latency_p99_s',
  'ttft_p99_s',
  'output_tok_per_s',
  'completed_req_per_s',
  'queue',
  'running',
  'kv_usage',
  'preemptions',
  'gpu_busy',
  'mfu',
  'reject_rate',
];
const sampleRow = (s: Sample) =>
  [
    s.t,
    s.p50S,
    s.p99S,
    s.ttftP99S,
    s.tokPerS,
    s.reqPerS,
    s.queue,
    s.running,
    s.kv,
    s.preemptions,
    s.gpuBusy,
    s.mfu,
    s.rejectRate,
  ].map((v) => (Number.isNaN(v) ? '' : v));

interface Props extends JobPanelProps<MonitorResult> {
  live: MonitorSnapshot | null;
}

/** The on-call dashboard of one replica through a traffic surge, filled in while the simulation runs. */
export function Dashboard({ params, live, job, stale, onRun, onCancel, settings }: Props) {
  const running = job?.status === 'running';
  const final = (job?.status === 'done' ? job.data : null) ?? null;
  const snap: MonitorSnapshot | null = running ? live : (final ?? live);
  const s = snap?.samples ?? [];
  const xs = s.map((x) => x.t);
  const band = snap ? { x0: snap.surge.t0, x1: snap.surge.t1, label: `surge ×${snap.surge.factor}` } : undefined;
  const fired = (snap?.events ?? []).filter((e) => e.kind === 'fired');
  const marks = (metric: AlertEvent['metric'] | null) =>
    fired
      .filter((e) => metric === null || e.metric === metric)
      .map((e) => ({ x: e.t, label: fmtAlert(e), className: 'srv-alert-mark' }));
  const chart = (
    title: string,
    series: Series[],
    yLabel: string,
    yFormat: (v: number) => string,
    extra: Partial<Parameters<typeof LineChart>[0]> = {},
  ) => (
    <div className="srv-dash-cell">
      <h4>{title}</h4>
      <LineChart
        series={series}
        xLabel="simulated time (s)"
        yLabel={yLabel}
        xFormat={tFmt}
        yFormat={yFormat}
        band={band}
        height={130}
        ariaLabel={`${title} over simulated time`}
        {...extra}
      />
    </div>
  );
  const exportCsv = () =>
    download('serving-dashboard.csv', new Blob([toCsv(SAMPLE_HEADER, s.map(sampleRow))], { type: 'text/csv' }));
  const exportJson = () =>
    download(
      'serving-dashboard.json',
      new Blob(
        [JSON.stringify({ simulated: true, window_s: snap?.window, samples: s, alerts: snap?.events ?? [] }, null, 2)],
        { type: 'application/json' },
      ),
    );
  const exportTrace = () => {
    if (!final) return;
    const t = servingChromeTrace(
      { steps: final.steps, jobs: final.jobs, samples: final.samples, alerts: final.events },
      { model: final.model, provenance: final.provenance },
    );
    download('serving-run.trace.json', new Blob([JSON.stringify(t)], { type: 'application/json' }));
  };
  return (
    <section className="srv-panel" aria-label="Monitoring dashboard" data-testid="srv-dashboard">
      <h3>Monitoring dashboard: a traffic surge on one replica</h3>
      <p className="muted">
        {params.monQps} req/s, then ×{params.monSurge} for the middle third of the run, then back. Alerts fire when a
        window’s value goes above your thresholds (the “Alert: …” controls below). Simulated, not measured.
      </p>
      {settings}
      <JobBar
        job={job}
        label="Run the surge"
        again="Run the surge again"
        onRun={onRun}
        onCancel={onCancel}
        cancelledText="Cancelled: the series stop where the run stopped."
        testId="srv-monitor-run"
      >
        {s.length ? (
          <span className="srv-exports">
            <button type="button" className="btn btn-small" onClick={exportCsv}>
              Series CSV
            </button>
            <button type="button" className="btn btn-small" onClick={exportJson}>
              Series JSON
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={exportTrace}
              disabled={!final}
              title={final ? 'Open in Perfetto or chrome://tracing' : 'Available when the run ends'}
            >
              Chrome trace
            </button>
          </span>
        ) : null}
      </JobBar>
      {s.length ? (
        <div style={stale && !running ? { opacity: 0.5 } : undefined}>
          {stale && !running ? <p className="stale-note">Ran with other parameters: run the surge again.</p> : null}
          <div className="srv-dash-grid">
            {chart(
              'Latency (requests finishing in each window)',
              [
                { label: 'E2E P50', className: 'srv-p50', xs, ys: s.map((x) => x.p50S) },
                { label: 'E2E P99', className: 'srv-p99', xs, ys: s.map((x) => x.p99S) },
                { label: 'TTFT P99', className: 'srv-p90', xs, ys: s.map((x) => x.ttftP99S) },
              ],
              's',
              sec,
              {
                logY: true,
                hline: { y: params.alertTtft, label: `TTFT alert ${sec(params.alertTtft)}` },
                marks: marks('ttftP99S'),
              },
            )}
            {chart(
              'Throughput',
              [{ label: 'output tokens/s', className: 'srv-thr', xs, ys: s.map((x) => x.tokPerS) }],
              'tok/s',
              (v) => fmtCount(Math.round(v)),
            )}
            {chart(
              'Queue depth',
              [
                { label: 'waiting', className: 'srv-queue', xs, ys: s.map((x) => x.queue) },
                { label: 'running', className: 'srv-running', xs, ys: s.map((x) => x.running) },
              ],
              'requests',
              (v) => fmtCount(Math.round(v)),
              { hline: { y: params.alertQueue, label: `alert ${params.alertQueue}` }, marks: marks('queue') },
            )}
            {chart(
              'KV-cache usage',
              [{ label: 'blocks in use', className: 'srv-kv', xs, ys: s.map((x) => x.kv * 100) }],
              '%',
              (v) => `${v.toFixed(0)}%`,
              {
                yMax: 100,
                hline: { y: params.alertKv, label: `alert ${params.alertKv}%` },
                marks: marks('kv'),
              },
            )}
            {chart(
              'GPU utilization',
              [
                { label: 'busy (nvidia-smi style)', className: 'srv-busy', xs, ys: s.map((x) => x.gpuBusy * 100) },
                { label: 'MFU (model FLOPs / peak)', className: 'srv-mfu', xs, ys: s.map((x) => x.mfu * 100) },
              ],
              '%',
              (v) => `${v.toFixed(0)}%`,
              { yMax: 100 },
            )}
            {chart(
              'Preemptions and rejects',
              [
                { label: 'preemptions per window', className: 'srv-pre', xs, ys: s.map((x) => x.preemptions) },
                { label: 'reject rate (%)', className: 'srv-rej', xs, ys: s.map((x) => x.rejectRate * 100) },
              ],
              'count / %',
              (v) => v.toFixed(0),
              { marks: marks('rejectRate') },
            )}
          </div>
          <h4>Alert log</h4>
          {snap?.events.length ? (
            <ol className="srv-alerts" data-testid="srv-alert-log">
              {snap.events.map((e, i) => (
                <li key={i} className={e.kind === 'fired' ? 'srv-alert-fired' : 'srv-alert-resolved'}>
                  <span className="srv-alert-t">t = {tFmt(e.t)} s</span>{' '}
                  <strong>{e.kind === 'fired' ? 'FIRED' : 'resolved'}</strong>: {fmtAlert(e)}
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted">No alert has fired{running ? ' yet' : ''}.</p>
          )}
        </div>
      ) : !running ? (
        <p className="muted">Runs a surge through one replica and draws the dashboard while the simulation runs.</p>
      ) : null}
    </section>
  );
}
