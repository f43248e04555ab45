import type { StationStats } from '../../sim/serving/rag';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { fmtCount, fmtMs, fmtPct } from '../../ui/format';
import type { RagResult } from './jobs';
import { JobBar } from '../../ui/JobBar';
import type { JobPanelProps } from './panel';

const ms = (s: number) =>
  !Number.isFinite(s) ? '∞ (unstable)' : s === 0 ? '0' : s < 1e-6 ? '< 1 µs' : fmtMs(s * 1000);

function columns(bottleneck: number): Column<StationStats & { i: number; sized: number }>[] {
  return [
    {
      key: 'stage',
      label: 'Stage',
      render: (s) => (s.i === bottleneck ? <strong>{s.name} ◀ bottleneck</strong> : s.name),
      value: (s) => s.name,
    },
    { key: 'n', label: 'Replicas', render: (s) => fmtCount(s.servers), value: (s) => s.servers },
    { key: 'svc', label: 'Service (mean)', render: (s) => ms(s.meanS), value: (s) => s.meanS },
    {
      key: 'util',
      label: 'Utilization',
      render: (s) => (
        <span className="srv-util">
          <span className="srv-util-track">
            <span
              className={`srv-util-bar${s.utilization >= 1 ? ' over' : ''}`}
              style={{ width: `${Math.min(100, s.utilization * 100)}%` }}
            />
          </span>
          {fmtPct(s.utilization, 0)}
        </span>
      ),
      value: (s) => s.utilization,
    },
    { key: 'wait', label: 'Wait, mean (DES)', render: (s) => ms(s.meanWaitS), value: (s) => s.meanWaitS },
    {
      key: 'erl',
      label: 'Wait, mean (Erlang C, M/M/c)',
      render: (s) => ms(s.erlangWaitS),
      value: (s) => s.erlangWaitS,
    },
    { key: 'p99', label: 'Wait, P99 (DES)', render: (s) => ms(s.p99WaitS), value: (s) => s.p99WaitS },
    { key: 'sized', label: 'Sized replicas', render: (s) => fmtCount(s.sized), value: (s) => s.sized },
  ];
}

export function RagPanel({
  params,
  job,
  stale,
  onRun,
  onCancel,
  onApply,
  settings,
}: JobPanelProps<RagResult> & { onApply(servers: number[]): void }) {
  const d = job?.data ?? null;
  const c = d?.current;
  return (
    <section className="srv-panel" aria-label="RAG pipeline" data-testid="srv-rag">
      <h3>
        RAG pipeline: {fmtCount(params.ragQps)} queries/s under {params.ragSloMs} ms?
      </h3>
      <p className="muted">
        Each stage is a queue with replicas that serve one query at a time (M/G/c): embed → vector search → rerank → LLM
        prefill to the first token. The LLM stage’s time comes from the roofline model of the chosen model and GPU; the
        others are yours. Discrete-event simulation of 40,000 queries, checked against Erlang C in the tests.
      </p>
      {settings}
      <JobBar
        job={job}
        label="Simulate the pipeline"
        again="Simulate again"
        onRun={onRun}
        onCancel={onCancel}
        testId="srv-rag-run"
      />
      {d && c ? (
        <div style={stale ? { opacity: 0.5 } : undefined}>
          {stale ? <p className="stale-note">Simulated with other parameters: simulate again.</p> : null}
          <p className="srv-headline" data-testid="srv-rag-text">
            With your replicas: P99 {ms(c.e2e.p99)} (P50 {ms(c.e2e.p50)}) against the {ms(d.sloS)} SLO —{' '}
            {c.e2e.p99 <= d.sloS
              ? 'met.'
              : `broken. The bottleneck is ${c.stations[c.bottleneck].name} at ${fmtPct(c.stations[c.bottleneck].utilization, 0)} utilization.`}{' '}
            {c.stable
              ? ''
              : 'A stage at or above 100% has a queue that grows for as long as the load lasts, so its P99 is limited only by the run length.'}
          </p>
          <ResultsTable
            caption={`Pipeline stages at ${fmtCount(c.qps)} queries/s (simulated; LLM prefill ${d.llmMs.toFixed(1)} ms from the roofline model)`}
            columns={columns(c.bottleneck)}
            rows={c.stations.map((s, i) => ({ ...s, i, sized: d.sizing.servers[i] }))}
            stale={stale}
            rowKey={(s) => s.name}
            name="serving-rag"
          />
          <p>
            {d.sizing.met
              ? `Sized to meet the SLO (growing the stage with the longest P99 wait, ${d.sizing.steps.length} simulation${d.sizing.steps.length === 1 ? '' : 's'}): P99 ${ms(d.sizing.result.e2e.p99)} with ${d.sizing.servers.map(fmtCount).join(' / ')} replicas.`
              : d.sizing.reason}{' '}
            The floor is the sum of service times, {ms(c.serviceFloorS)}: replicas remove waiting, never service time.
          </p>
          {d.sizing.met ? (
            <button type="button" className="btn btn-small" onClick={() => onApply(d.sizing.servers)}>
              Use the sized replica counts
            </button>
          ) : null}
          <p className="muted">{d.provenance}.</p>
        </div>
      ) : null}
    </section>
  );
}
