import { PRICE_NOTE } from '../../catalog/gpus';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { fmtCount, fmtMs, fmtRate } from '../../ui/format';
import type { PlanResult } from './jobs';
import { JobBar } from '../../ui/JobBar';
import type { JobPanelProps } from './panel';
import { planQps } from './params';

const sec = (s: number) => fmtMs(s * 1000);
const money = (x: number) => (x >= 100 ? `$${Math.round(x).toLocaleString('en-US')}` : `$${x.toFixed(2)}`);

type LbRow = PlanResult['balancers'][number];
const lbColumns: Column<LbRow>[] = [
  {
    key: 'lb',
    label: 'Load balancer',
    render: (r) => (r.balancer === 'round-robin' ? 'Round robin' : 'Least outstanding requests'),
    value: (r) => r.balancer,
  },
  { key: 'n', label: 'Replicas simulated', render: (r) => String(r.replicas), value: (r) => r.replicas },
  { key: 'ttft', label: 'TTFT P99', render: (r) => sec(r.summary.ttft.p99), value: (r) => r.summary.ttft.p99 },
  { key: 'tpot', label: 'TPOT P99', render: (r) => sec(r.summary.tpot.p99), value: (r) => r.summary.tpot.p99 },
  { key: 'e2e', label: 'E2E P99', render: (r) => sec(r.summary.e2e.p99), value: (r) => r.summary.e2e.p99 },
  {
    key: 'slo',
    label: 'SLO',
    render: (r) => (r.summary.sloMet ? 'met' : 'broken'),
    value: (r) => (r.summary.sloMet ? 'met' : 'broken'),
  },
];

export function PlannerPanel({ params, job, stale, onRun, onCancel, settings }: JobPanelProps<PlanResult>) {
  const d = job?.data ?? null;
  const target = planQps(params);
  return (
    <section className="srv-panel" aria-label="Capacity planner" data-testid="srv-planner">
      <h3>Capacity planner</h3>
      <p className="muted">
        {params.planBy === 'users'
          ? `${fmtCount(params.users)} concurrent users × ${params.userRpm} requests per minute = ${fmtRate(target, 'req')}.`
          : `Target: ${fmtRate(target, 'req')}.`}{' '}
        Finds the most load one replica serves within your SLO (simulated probes of {fmtCount(params.requests)} requests
        each; short runs flatter a replica, because queues have no time to build), then sizes and prices the fleet.
      </p>
      {settings}
      <JobBar
        job={job}
        label="Plan the fleet"
        again="Plan again"
        onRun={onRun}
        onCancel={onCancel}
        testId="srv-plan-run"
      />
      {d ? (
        <div style={stale ? { opacity: 0.5 } : undefined}>
          {stale ? <p className="stale-note">Planned for other parameters: plan again.</p> : null}
          <dl className="srv-kpis">
            <div>
              <dt>Per replica within SLO</dt>
              <dd>{d.perReplicaQps.toFixed(2)} req/s</dd>
            </div>
            <div>
              <dt>Replicas</dt>
              <dd data-testid="srv-plan-replicas">{fmtCount(d.replicas)}</dd>
            </div>
            <div>
              <dt>GPUs ({d.gpusPerReplica} per replica)</dt>
              <dd>
                {fmtCount(d.gpus)} × {d.gpu}
              </dd>
            </div>
            <div>
              <dt>Cost at your price</dt>
              <dd>
                {money(d.dollarsPerHour)}/hour
                {d.listPricePerHour ? (
                  <span className="muted" title={PRICE_NOTE}>
                    {' '}
                    (at the catalog’s indicative {money(d.listPricePerHour)}/GPU-hour:{' '}
                    {money(d.listPricePerHour * d.gpus)}/hour)
                  </span>
                ) : null}
              </dd>
            </div>
            <div>
              <dt>Per million output tokens</dt>
              <dd>{money(d.dollarsPerMTok)}</dd>
            </div>
            <div>
              <dt>Requests in flight (Little’s law)</dt>
              <dd>{fmtCount(Math.round(d.inFlight))}</dd>
            </div>
          </dl>
          <p className="muted">
            {d.users !== null
              ? `${fmtCount(d.users)} users with a chat open are not ${fmtCount(d.users)} requests at once: only the ${fmtCount(Math.round(d.inFlight))} in flight hold GPU memory. `
              : ''}
            No headroom is added: a real fleet keeps N+1 and spare capacity for failures and deploys. {d.provenance}.
          </p>
          <ResultsTable
            caption={`The plan behind a load balancer: ${d.balancers[0]?.replicas ?? 0} replicas at ${(d.targetQps / d.replicas).toFixed(2)} req/s each (simulated)`}
            columns={lbColumns}
            rows={d.balancers}
            stale={stale}
            rowKey={(r) => r.balancer}
            name="serving-balancers"
          />
        </div>
      ) : null}
    </section>
  );
}
