import { useState } from 'react';
import { PanelParams } from '../../ui/PanelParams';
import { LabSections } from '../../ui/Section';
import type { LabViewProps } from '../../labkit/contract';
import { Dashboard } from './Dashboard';
import { JOBS, jobKeys, monitorJob, planJob, prefixJob, ragJob, type MonitorSnapshot, type ServingJobs } from './jobs';
import type { meta } from './meta';
import { provenance, replicaOf } from './params';
import { PlannerPanel } from './PlannerPanel';
import { PrefixPanel } from './PrefixPanel';
import { RagPanel } from './RagPanel';
import type { ServingResult } from './run';
import { SweepCharts, SweepTable } from './SweepPanel';
import { TraceBox } from './TraceBox';
import { OwnModelBox } from './OwnModelBox';
import { MeasuredModelBox } from './MeasuredModelBox';
import './serving.css';

type Props = LabViewProps<typeof meta.schema, ServingResult, ServingJobs>;

function Explanation() {
  return (
    <>
      <p>
        <strong>Where the numbers come from.</strong> Every figure here is simulated, none is measured: one replica is
        stepped one model iteration at a time with the KV-cache lab’s engine semantics (continuous batching, paged KV
        blocks, recompute preemption of the latest admitted request), and each step costs the roofline time of the
        chosen model on the chosen GPU’s datasheet peaks: decode reads every weight once plus the batch’s KV
        (memory-bound), prefill does 2 FLOPs per parameter per token (compute-bound). Real kernels reach about 60–80% of
        the peaks, so real latencies are higher; the shapes (where the knee is, what moves it) carry over.
      </p>
      <p>
        <strong>The knee.</strong> Below it, more load only makes batches bigger, which costs little on a memory-bound
        GPU, so P99 barely moves. At the knee a resource runs out: the KV cache fills (requests are preempted and
        recomputed), or steps grow past the per-token SLO, or the queue grows faster than it drains. Then P99 jumps by
        orders of magnitude within a small step in load. <em>Goodput</em> (DistServe, OSDI 2024) counts only requests
        that met the SLO: past the knee throughput stays flat while goodput falls.
      </p>
      <p>
        <strong>Scheduling.</strong> Shortest-prompt-first and priority scheduling reorder the waiting queue; chunked
        prefill (Sarathi-Serve, OSDI 2024) caps tokens per step so a long prompt does not stall everyone’s next token,
        trading a little TTFT for a much flatter TPOT tail.
      </p>
      <p>
        <strong>Fleet.</strong> Replicas are independent, so capacity is the per-replica knee times the replica count; a
        balancer that sends work to the least loaded replica (least outstanding requests) keeps bursts from piling onto
        one replica, which round robin cannot. <strong>RAG.</strong> Each stage is an M/G/c queue; the DES agrees with
        Erlang C for exponential service. <strong>Monitoring.</strong> GPU “utilization” (busy time) reads 100% while
        MFU is a few percent: decode is memory-bound, so watch latency percentiles, queue depth, KV usage, preemptions
        and rejects, not busy time.
      </p>
    </>
  );
}

export function ServingView({ meta, params, result, stale, jobs, actions, measuredModel }: Props) {
  const [live, setLive] = useState<MonitorSnapshot | null>(null);
  const data = result.data;
  let prov: string;
  try {
    prov = provenance(replicaOf(params));
  } catch (e) {
    prov = (e as Error).message;
  }
  const settings = (group: keyof typeof jobKeys) => (
    <PanelParams meta={meta} group={group} params={params} onChange={(key, raw) => actions.setParams({ [key]: raw })} />
  );
  const jobStale = (name: keyof typeof jobKeys) =>
    Boolean(jobs[name]?.data && jobs[name]?.paramsKey !== jobKeys[name](params));
  const picture = (
    <>
      <OwnModelBox params={params} actions={actions} />
      <MeasuredModelBox params={params} actions={actions} measuredModel={measuredModel} />
      <p className="srv-provenance" data-testid="srv-provenance">
        {prov}.
      </p>
      {result.status === 'error' ? (
        <div className="notice" role="alert">
          <p>{result.error}</p>
        </div>
      ) : null}
      {data ? (
        <SweepCharts data={data} stale={stale} />
      ) : result.status === 'running' ? (
        <p className="muted">Sweeping load… {result.progressText}</p>
      ) : null}
      <Dashboard
        params={params}
        live={live}
        job={jobs[JOBS.monitor]}
        stale={jobStale('monitor')}
        onRun={() => {
          setLive(null);
          actions.runJob(JOBS.monitor, (ctx) => monitorJob(ctx, params, setLive), { key: jobKeys.monitor(params) });
        }}
        onCancel={() => actions.cancelJob(JOBS.monitor)}
        settings={settings('monitor')}
      />
    </>
  );
  const results = (
    <>
      {data ? <SweepTable data={data} stale={stale} /> : null}
      {data ? (
        <p className="muted">
          Simulated {data.requests.toLocaleString('en-US')} requests × {data.points.length} loads in{' '}
          {Math.round(data.wallMs)} ms of this browser’s time
          {data.traceName ? `, arrivals from ${data.traceName}` : ''}. KV cache:{' '}
          {data.replica.numBlocks.toLocaleString('en-US')} blocks of 16 tokens ({data.replica.kvGiB.toFixed(1)} GiB).
          Fewer requests per point flatter the knee, because a queue has less time to build: confirm a knee with more
          requests (the default chat sweep breaks near 20 req/s at 2,000 requests and near 16 at 10,000).
        </p>
      ) : null}
      <TraceBox
        active={params.arrivals === 'trace'}
        onLoaded={() => (params.arrivals === 'trace' ? actions.run() : actions.setParams({ arrivals: 'trace' }))}
      />
      <PlannerPanel
        params={params}
        job={jobs[JOBS.plan]}
        stale={jobStale('plan')}
        onRun={() => actions.runJob(JOBS.plan, (ctx) => planJob(ctx, params), { key: jobKeys.plan(params) })}
        onCancel={() => actions.cancelJob(JOBS.plan)}
        settings={settings('plan')}
      />
      <PrefixPanel
        params={params}
        job={jobs[JOBS.prefix]}
        stale={jobStale('prefix')}
        onRun={() => actions.runJob(JOBS.prefix, (ctx) => prefixJob(ctx, params), { key: jobKeys.prefix(params) })}
        onCancel={() => actions.cancelJob(JOBS.prefix)}
        settings={settings('prefix')}
      />
      <RagPanel
        params={params}
        job={jobs[JOBS.rag]}
        stale={jobStale('rag')}
        onRun={() => actions.runJob(JOBS.rag, (ctx) => ragJob(ctx, params), { key: jobKeys.rag(params) })}
        onCancel={() => actions.cancelJob(JOBS.rag)}
        onApply={(n) => actions.setParams({ ragEmbedN: n[0], ragSearchN: n[1], ragRerankN: n[2], ragLlmN: n[3] })}
        settings={settings('rag')}
      />
    </>
  );
  return <LabSections picture={picture} results={results} explanation={<Explanation />} />;
}
