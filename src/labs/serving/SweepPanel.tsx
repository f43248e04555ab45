import { useState } from 'react';
import type { SweepPoint } from '../../sim/serving/sweep';
import { ChartFrame } from '../../ui/ChartFrame';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { fmtCount, fmtMs, fmtPct, fmtRate } from '../../ui/format';
import type { ServingResult } from './run';
import { LineChart } from '../../charts/LineChart';

type Metric = 'ttft' | 'tpot' | 'e2e';
const METRIC_NAMES: Record<Metric, string> = {
  ttft: 'Time to first token',
  tpot: 'Time per output token',
  e2e: 'End-to-end latency',
};

const sec = (s: number) => fmtMs(s * 1000);
const qpsFmt = (q: number) => (q >= 10 ? q.toFixed(0) : q.toFixed(q >= 1 ? 1 : 2));

/** One sentence on where the SLO breaks and why (preemption, queueing or rejects), from the sweep itself. */
export function kneeSentence(d: ServingResult): string {
  const who = `One replica (${d.replica.model} on ${d.replica.tp > 1 ? `${d.replica.tp} × ` : ''}${d.replica.gpu})`;
  if (d.knee < 0)
    return `${who} meets the SLO at every load up to ${qpsFmt(d.points[d.points.length - 1].qps)} req/s: sweep higher to find its knee.`;
  if (d.knee === 0)
    return `${who} breaks the SLO already at ${qpsFmt(d.points[0].qps)} req/s: loosen the SLO, lower the sweep range or pick a faster GPU.`;
  const a = d.points[d.knee - 1];
  const b = d.points[d.knee];
  const why =
    b.rejected > 0
      ? `${fmtCount(b.rejected)} requests are rejected by the queue limit`
      : b.preemptions > a.preemptions && b.preemptions > 0
        ? `the KV cache fills and ${fmtCount(b.preemptions)} requests are preempted and recomputed`
        : b.tpot.p99 > d.slo.tpotS
          ? `the batch grows until each step takes longer than the TPOT SLO`
          : `requests queue for admission`;
  return `${who} meets the SLO up to ≈ ${qpsFmt(d.maxGoodQps)} req/s. Between ${qpsFmt(a.qps)} and ${qpsFmt(b.qps)} req/s P99 TTFT goes from ${sec(a.ttft.p99)} to ${sec(b.ttft.p99)}: ${why}.`;
}

export function SweepCharts({ data, stale }: { data: ServingResult; stale: boolean }) {
  const [metric, setMetric] = useState<Metric>('ttft');
  const pts = data.points;
  const xs = pts.map((p) => p.qps);
  const scale = metric === 'tpot' ? 1000 : 1;
  const unit = metric === 'tpot' ? 'ms' : 's';
  const get = (p: SweepPoint) => p[metric];
  const knee =
    data.knee > 0
      ? { x: data.maxGoodQps, label: `SLO breaks ≈ ${qpsFmt(data.maxGoodQps)} req/s` }
      : data.knee === 0
        ? { x: pts[0].qps, label: 'SLO broken at every load' }
        : undefined;
  const sloLine =
    metric === 'ttft'
      ? { y: data.slo.ttftS, label: `SLO ${sec(data.slo.ttftS)}` }
      : metric === 'tpot'
        ? { y: data.slo.tpotS * 1000, label: `SLO ${fmtMs(data.slo.tpotS * 1000)}` }
        : undefined;
  return (
    <div style={stale ? { opacity: 0.5 } : undefined} data-testid="srv-sweep">
      <p className="srv-headline" data-testid="srv-knee-text">
        {kneeSentence(data)}
      </p>
      <ChartFrame
        title={`${METRIC_NAMES[metric]} percentiles vs load per replica (simulated)`}
        name="serving-latency-vs-qps"
        actions={
          <span className="srv-seg" role="group" aria-label="Latency metric">
            {(Object.keys(METRIC_NAMES) as Metric[]).map((m) => (
              <button
                key={m}
                type="button"
                className={`btn btn-small${m === metric ? ' active' : ''}`}
                aria-pressed={m === metric}
                onClick={() => setMetric(m)}
              >
                {m.toUpperCase()}
              </button>
            ))}
          </span>
        }
      >
        <LineChart
          testId="srv-latency-chart"
          ariaLabel={`${METRIC_NAMES[metric]} P50, P90 and P99 against requests per second; the knee is marked.`}
          series={[
            { label: 'P50', className: 'srv-p50', xs, ys: pts.map((p) => get(p).p50 * scale), dots: true },
            { label: 'P90', className: 'srv-p90', xs, ys: pts.map((p) => get(p).p90 * scale), dots: true },
            { label: 'P99', className: 'srv-p99', xs, ys: pts.map((p) => get(p).p99 * scale), dots: true },
          ]}
          xLabel="offered load per replica (req/s)"
          yLabel={`${metric.toUpperCase()} (${unit})`}
          xFormat={qpsFmt}
          yFormat={(v) => (unit === 's' ? sec(v) : fmtMs(v))}
          logY
          hline={sloLine}
          vline={knee}
        />
      </ChartFrame>
      <ChartFrame title="Throughput and goodput vs load (simulated)" name="serving-goodput-vs-qps">
        <LineChart
          testId="srv-goodput-chart"
          ariaLabel="Completed requests per second and goodput (requests within the SLO per second) against offered load."
          series={[
            { label: 'offered load', className: 'srv-offered', xs, ys: xs, dashed: true },
            {
              label: 'throughput (completed req/s)',
              className: 'srv-thr',
              xs,
              ys: pts.map((p) => p.throughputRps),
              dots: true,
            },
            {
              label: 'goodput (req/s within SLO)',
              className: 'srv-good',
              xs,
              ys: pts.map((p) => p.goodputRps),
              dots: true,
            },
          ]}
          xLabel="offered load per replica (req/s)"
          yLabel="req/s"
          xFormat={qpsFmt}
          yFormat={qpsFmt}
          vline={knee}
        />
      </ChartFrame>
    </div>
  );
}

const columns: Column<SweepPoint>[] = [
  { key: 'qps', label: 'Load', unit: 'req/s', render: (p) => qpsFmt(p.qps), value: (p) => p.qps },
  { key: 'ttft50', label: 'TTFT P50', render: (p) => sec(p.ttft.p50), value: (p) => p.ttft.p50 },
  { key: 'ttft99', label: 'TTFT P99', render: (p) => sec(p.ttft.p99), value: (p) => p.ttft.p99 },
  { key: 'tpot50', label: 'TPOT P50', render: (p) => sec(p.tpot.p50), value: (p) => p.tpot.p50 },
  { key: 'tpot99', label: 'TPOT P99', render: (p) => sec(p.tpot.p99), value: (p) => p.tpot.p99 },
  { key: 'e2e50', label: 'E2E P50', render: (p) => sec(p.e2e.p50), value: (p) => p.e2e.p50 },
  { key: 'e2e99', label: 'E2E P99', render: (p) => sec(p.e2e.p99), value: (p) => p.e2e.p99 },
  {
    key: 'thr',
    label: 'Throughput',
    unit: 'req/s',
    render: (p) => p.throughputRps.toFixed(2),
    value: (p) => p.throughputRps,
  },
  {
    key: 'tok',
    label: 'Output',
    unit: 'tok/s',
    render: (p) => fmtRate(p.outputTokPerS),
    value: (p) => p.outputTokPerS,
  },
  { key: 'good', label: 'Goodput', unit: 'req/s', render: (p) => p.goodputRps.toFixed(2), value: (p) => p.goodputRps },
  { key: 'att', label: 'Within SLO', render: (p) => fmtPct(p.attainment), value: (p) => p.attainment },
  { key: 'pre', label: 'Preemptions', render: (p) => fmtCount(p.preemptions), value: (p) => p.preemptions },
  { key: 'rej', label: 'Rejected', render: (p) => fmtCount(p.rejected), value: (p) => p.rejected },
  { key: 'busy', label: 'GPU busy', render: (p) => fmtPct(p.gpuBusy, 0), value: (p) => p.gpuBusy },
  { key: 'mfu', label: 'MFU', render: (p) => fmtPct(p.mfu), value: (p) => p.mfu },
  { key: 'hit', label: 'Prefix hits', render: (p) => fmtPct(p.prefixHitRate, 0), value: (p) => p.prefixHitRate },
  {
    key: 'slo',
    label: 'SLO',
    render: (p) => (p.sloMet ? 'met' : 'broken'),
    value: (p) => (p.sloMet ? 'met' : 'broken'),
  },
];

export function SweepTable({ data, stale }: { data: ServingResult; stale: boolean }) {
  return (
    <ResultsTable
      caption={`Load sweep, ${data.requests.toLocaleString('en-US')} requests per point (simulated: ${data.replica.profile})`}
      columns={columns}
      rows={data.points}
      stale={stale}
      rowKey={(p) => String(p.qps)}
      name="serving-sweep"
    />
  );
}
