import { Suspense, lazy, useMemo, type ComponentType } from 'react';
import type { LabViewProps } from '../../labkit/contract';
import { ChartFrame } from '../../ui/ChartFrame';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { LabSections } from '../../ui/Section';
import type { MemoryBreakdown, Strategy } from '../../sim/cluster';
import { FailureTimeline } from './FailureTimeline';
import { GanttPanel } from './GanttPanel';
import { IntervalSweep } from './IntervalSweep';
import { MemoryBars } from './MemoryBars';
import { OwnModelBox } from './OwnModelBox';
import { ScalingChart } from './ScalingChart';
import { STRATEGY_LABEL, fmtGB, fmtHours, fmtSeconds } from './labels';
import type { meta } from './meta';
import type { CastResult } from './PrecisionPanel';
import type { ClusterResult } from './run';
import './cluster.css';

/** The cluster lab's jobs, by name: the mixed-precision panel's cast on the GPU. */
export interface ClusterJobs {
  'precision-cast': CastResult;
}

export type ClusterViewProps = LabViewProps<typeof meta.schema, ClusterResult, ClusterJobs>;

// ---- Extra panels ---------------------------------------------------------------------------
// Other parts of this lab live in their own files: ./LivePanel.tsx ("Live mini-cluster") and
// ./PrecisionPanel.tsx ("Mixed precision"). Each default-exports (or exports under its file's name)
// a component taking ClusterViewProps. They are found at build time; a missing file renders nothing,
// so creating the file is all it takes to add the panel below the simulated parts.
type PanelModule = { default?: ComponentType<ClusterViewProps> } & Record<string, unknown>;
const PANEL_FILES = import.meta.glob<PanelModule>(['./LivePanel.tsx', './PrecisionPanel.tsx']);
const EXTRA_PANELS = Object.entries(PANEL_FILES)
  .sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([path, load]) => {
    const name = path.replace(/^\.\/|\.tsx$/g, '');
    const Panel = lazy(async (): Promise<{ default: ComponentType<ClusterViewProps> }> => {
      const mod = await load();
      const C = (mod.default ?? mod[name]) as ComponentType<ClusterViewProps> | undefined;
      return { default: C ?? (() => null) };
    });
    return { name, Panel };
  });
// -----------------------------------------------------------------------------------------------

interface KV {
  key: string;
  label: string;
  value: string;
  source: string;
}

function Problems({ title, problems }: { title: string; problems: string[] }) {
  if (!problems.length) return null;
  return (
    <div className="notice" role="alert">
      <p>
        <strong>{title}</strong>
      </p>
      {problems.map((p) => (
        <p key={p}>{p.charAt(0).toUpperCase() + p.slice(1)}.</p>
      ))}
    </div>
  );
}

const kvColumns: Column<KV>[] = [
  { key: 'label', label: 'Quantity', render: (r) => r.label },
  { key: 'value', label: 'Value', render: (r) => <strong>{r.value}</strong>, value: (r) => r.value },
  { key: 'source', label: 'From', render: (r) => <span className="muted">{r.source}</span>, value: (r) => r.source },
];

export function ClusterView(props: ClusterViewProps) {
  const { params, result, stale } = props;
  const data = result.data;
  const memColumns = useMemo<Column<{ strategy: Strategy; m: MemoryBreakdown }>[]>(
    () => [
      { key: 's', label: 'Strategy', render: (r) => STRATEGY_LABEL[r.strategy] },
      { key: 'w', label: 'Weights', render: (r) => fmtGB(r.m.params), value: (r) => r.m.params },
      { key: 'g', label: 'Gradients', render: (r) => fmtGB(r.m.grads), value: (r) => r.m.grads },
      { key: 'o', label: 'Optimizer', render: (r) => fmtGB(r.m.optimizer), value: (r) => r.m.optimizer },
      { key: 'a', label: 'Activations', render: (r) => fmtGB(r.m.activations), value: (r) => r.m.activations },
      {
        key: 'b',
        label: 'Buffers',
        render: (r) => (r.m.buffers ? fmtGB(r.m.buffers) : '—'),
        value: (r) => r.m.buffers,
      },
      { key: 't', label: 'Total per GPU', render: (r) => <strong>{fmtGB(r.m.total)}</strong>, value: (r) => r.m.total },
      { key: 'c', label: 'On CPU', render: (r) => (r.m.cpu ? fmtGB(r.m.cpu) : '—'), value: (r) => r.m.cpu },
    ],
    [],
  );
  if (!data) {
    return (
      <p className="muted">
        {result.status === 'error' ? `The model could not run: ${result.error}` : 'Computing the cluster models…'}
      </p>
    );
  }
  const { step, failure: f } = data;
  const chosen = data.memory[0];
  const cfg = data.config;
  const stepRows: KV[] =
    step && cfg
      ? [
          {
            key: 'tokens',
            label: 'Tokens per step',
            value: step.tokens.toLocaleString('en-US'),
            source: `b·s·m·N_d = ${cfg.microBatch}·${data.model.seq}·${cfg.microBatches}·${chosen.m.dataParallel}`,
          },
          {
            key: 'compute',
            label: 'Compute',
            value: fmtSeconds(step.computeS),
            source: `6·Ψ·tokens${cfg.recompute === 'full' ? ' + 2·Ψ·tokens recompute' : cfg.recompute === 'selective' ? ' + attention-score recompute' : ''} at ${Math.round(params.efficiency * 100)}% of ${Math.round(data.gpu.bf16Tflops * (cfg.precision === 'fp32' ? 0.5 : 1))} TFLOP/s`,
          },
          {
            key: 'bubble',
            label: 'Pipeline bubble',
            value: cfg.pp > 1 ? fmtSeconds(step.bubbleS) : '—',
            source:
              cfg.pp > 1
                ? cfg.schedule === 'interleaved'
                  ? '(1/v)·(p−1)/m of compute'
                  : '(p−1)/m of compute'
                : 'no pipeline',
          },
          {
            key: 'dp',
            label: `Data-parallel traffic (${step.dp.network === 'none' ? '—' : step.dp.network === 'intra' ? 'NVLink' : 'network'})`,
            value: `${fmtGB(step.dp.bytes)} · ${fmtSeconds(step.dp.seconds)}`,
            source: step.dp.what,
          },
          {
            key: 'tp',
            label: 'Tensor-parallel traffic',
            value: step.tp.bytes ? `${fmtGB(step.tp.bytes)} · ${fmtSeconds(step.tp.seconds)}` : '—',
            source: step.tp.bytes ? step.tp.what : 't = 1',
          },
          ...(step.ep.bytes
            ? [
                {
                  key: 'ep',
                  label: `Expert all-to-all (${step.ep.network === 'intra' ? 'in node' : 'network'})`,
                  value: `${fmtGB(step.ep.bytes)} · ${fmtSeconds(step.ep.seconds)}`,
                  source: step.ep.what,
                },
              ]
            : []),
          {
            key: 'pp',
            label: 'Pipeline sends',
            value: step.pp.bytes ? `${fmtGB(step.pp.bytes)} · ${fmtSeconds(step.pp.seconds)}` : '—',
            source: step.pp.bytes ? step.pp.what : 'p = 1',
          },
          {
            key: 'exposed',
            label: 'Communication not hidden',
            value: fmtSeconds(step.exposedCommS),
            source: params.overlap
              ? 'overlap on: data-parallel traffic runs under backward'
              : 'overlap off: every byte waits',
          },
          {
            key: 'step',
            label: 'Step time',
            value: fmtSeconds(step.stepS),
            source: 'compute + bubble + exposed communication',
          },
          {
            key: 'tps',
            label: 'Throughput',
            value: `${Math.round(step.tokensPerS).toLocaleString('en-US')} tokens/s`,
            source: 'modelled',
          },
          {
            key: 'mfu',
            label: 'MFU',
            value: `${(step.mfu * 100).toFixed(1)}%`,
            source: '6·Ψ·tokens ÷ (step · GPUs · peak)',
          },
        ]
      : [];
  const r = f.result;
  const bestSweep = f.sweep.length ? f.sweep.reduce((a, b) => (b.goodput > a.goodput ? b : a)) : null;
  const failRows: KV[] =
    r && f.config
      ? [
          {
            key: 'mtbf',
            label: 'Job MTBF',
            value: fmtHours(f.mtbfH),
            source: `1 ÷ (${params.gpus} GPUs × ${(f.config.failuresPerGpuHour * 1e5).toFixed(2)}e-5 per GPU-hour)${params.failureModel === 'llama3' ? ', Llama 3 rate' : ''}`,
          },
          {
            key: 'size',
            label: 'Checkpoint size',
            value: fmtGB(f.checkpointBytes),
            source: `${params.precision === 'fp32' ? '(4 + 8)' : '(2 + 12)'} bytes × ${(data.model.params / 1e9).toFixed(1)} B parameters`,
          },
          {
            key: 'write',
            label: 'Checkpoint write C',
            value: fmtHours(f.config.writeH),
            source:
              params.storage === 'remote'
                ? `size ÷ ${params.remoteGBps} GB/s shared`
                : `2 × size ÷ nodes ÷ ${params.localGBps} GB/s per node`,
          },
          {
            key: 'stall',
            label: 'Training stalls per checkpoint',
            value: fmtHours(f.config.async ? f.config.snapshotH : f.config.writeH),
            source: f.config.async ? 'async: copy to host memory at 25 GB/s per GPU' : 'sync: the whole write',
          },
          {
            key: 'restart',
            label: 'Restart',
            value: fmtHours(f.config.restartH),
            source: `${params.restartMin} min overhead + reading the checkpoint`,
          },
          {
            key: 'failures',
            label: 'Failures in the timeline',
            value: `${r.failures} (${r.hardwareFailures} lost a node)`,
            source: `simulated, seed ${params.seed}`,
          },
          {
            key: 'goodput',
            label: 'Goodput',
            value: `${(r.goodput * 100).toFixed(1)}%`,
            source: 'kept training ÷ wall time (simulated)',
          },
          {
            key: 'lost',
            label: 'Work lost to rollbacks',
            value: fmtHours(r.lostH),
            source: 'training since the last durable checkpoint, at each failure',
          },
          {
            key: 'ckpt',
            label: 'Checkpoint stalls',
            value: fmtHours(r.checkpointH),
            source: `${r.checkpoints} checkpoints${r.checkpointsLost ? `, ${r.checkpointsLost} caught before durable` : ''}`,
          },
          { key: 'rs', label: 'Restarting', value: fmtHours(r.restartH), source: 'simulated' },
          {
            key: 'wait',
            label: 'Waiting for nodes',
            value: fmtHours(r.waitH),
            source:
              params.policy === 'wait' ? 'no spare left: wait for a repair' : 'elastic: only below half the nodes',
          },
          {
            key: 'deg',
            label: 'Capacity missing (elastic)',
            value: fmtHours(r.degradedH),
            source: 'time × share of nodes out',
          },
          {
            key: 'young',
            label: 'Young/Daly interval',
            value: `${fmtHours(f.youngH)} / ${fmtHours(f.dalyH)}`,
            source: '√(2·C·MTBF); Daly 2006 higher order',
          },
          {
            key: 'best',
            label: 'Best simulated interval',
            value: bestSweep ? fmtHours(bestSweep.intervalH) : '—',
            source: 'argmax of the sweep (same seed at each point)',
          },
        ]
      : [];

  const picture = (
    <>
      <OwnModelBox params={params} actions={props.actions} />
      <Problems title="Memory and step time need a layout that can run:" problems={data.layoutProblems} />
      {cfg && chosen ? (
        <ChartFrame
          title={`Memory per GPU: ${data.model.name}, ${(data.model.params / 1e9).toFixed(2)} B parameters on ${params.gpus} GPUs (N_d = ${chosen.m.dataParallel})`}
          name="cluster-memory"
        >
          <MemoryBars rows={data.memory} capacityGB={data.gpu.memoryGB} gpuName={data.gpu.name} />
          <p className="cluster-caption">
            Modelled with ZeRO’s (2 + 2 + K)Ψ sharded by N_d and Korthikanti et al.’s activations; fullest GPU (
            {chosen.m.worstStage === 'only' ? 'no pipeline' : `${chosen.m.worstStage} pipeline stage`}).
          </p>
          {/* A second opinion, folded: on a phone the controls follow the chart, not a paragraph. */}
          {data.deepspeed && params.strategy === 'zero3' ? (
            <details className="cluster-caption">
              <summary>DeepSpeed’s own estimate: {fmtGB(data.deepspeed.gpuBytes)} per GPU for model states</summary>
              estimate_zero3_model_states_mem_needs counts 18 bytes per parameter plus the largest layer’s 16-bit
              parameters gathered and its 16-bit gradients, 4 bytes per parameter of that layer
              {params.tp * params.pp > 1
                ? ', and divides by all GPUs: it knows nothing of tensor or pipeline parallelism, so it is not comparable here'
                : ''}
              .
            </details>
          ) : null}
        </ChartFrame>
      ) : null}
      {data.scaling.length ? (
        <ChartFrame
          title={`Scaling: MFU vs GPU count at a fixed global batch of ${params.globalBatch} sequences`}
          name="cluster-scaling"
        >
          <ScalingChart
            points={data.scaling}
            gpus={params.gpus}
            chosen={params.strategy}
            efficiency={params.efficiency}
          />
          <p className="cluster-caption">
            Modelled. DDP and ZeRO-1 all-reduce once per step, 2(N−1)/N of the gradient bytes per GPU whatever N is,
            while each GPU’s share of a fixed batch shrinks as 1/N: past some N the network, not the GPU, sets the pace.
            ZeRO-3 gathers the weights again for every micro-batch, so its line sits lower but stops falling once the
            job leaves one node. Lines end where each replica is down to one micro-batch.
          </p>
        </ChartFrame>
      ) : null}
      <Problems title="The pipeline chart needs:" problems={data.pipeline.problems} />
      {data.pipeline.timeline ? (
        <GanttPanel
          timeline={data.pipeline.timeline}
          stages={data.pipeline.stages}
          microbatches={data.pipeline.microbatches}
          chunks={data.pipeline.chunks}
          schedule={params.schedule}
        />
      ) : null}
      <Problems title="The failure simulation needs:" problems={f.problems} />
      {r ? (
        <ChartFrame
          title={`${params.days} days of a ${params.gpus.toLocaleString('en-US')}-GPU job: goodput ${(r.goodput * 100).toFixed(1)}%`}
          name="cluster-failures"
        >
          <FailureTimeline result={r} />
          <p className="cluster-caption">
            Simulated (seeded discrete-event model). The dashed line is a job that never fails; each drop is work rolled
            back to the last checkpoint.
          </p>
        </ChartFrame>
      ) : null}
      {f.sweep.length ? (
        <ChartFrame title="Goodput vs checkpoint interval, Young/Daly optimum marked" name="cluster-interval">
          <IntervalSweep sweep={f.sweep} youngH={f.youngH} dalyH={f.dalyH} chosenH={params.intervalMin / 60} />
          <p className="cluster-caption">
            Each point simulates up to ~300 failures with the same seed. Too frequent and checkpoint stalls eat the
            time; too rare and each failure throws away more work. The optimum sits near √(2·C·MTBF) (Young 1974;
            dashed: Daly 2006).
          </p>
        </ChartFrame>
      ) : null}
      {EXTRA_PANELS.map(({ name, Panel }) => (
        <Suspense key={name} fallback={<p className="muted">Loading the next panel…</p>}>
          <Panel {...props} />
        </Suspense>
      ))}
    </>
  );

  const results = (
    <>
      {data.memory.length ? (
        <ResultsTable
          caption="Memory per GPU (modelled: ZeRO + Korthikanti et al. 2022), bytes in GB = 10⁹"
          name="cluster-memory"
          columns={memColumns}
          rows={data.memory}
          rowKey={(x) => x.strategy}
          stale={stale}
        />
      ) : null}
      {stepRows.length ? (
        <ResultsTable
          caption="One optimizer step (modelled)"
          name="cluster-step"
          columns={kvColumns}
          rows={stepRows}
          rowKey={(x) => x.key}
          stale={stale}
        />
      ) : null}
      {failRows.length ? (
        <ResultsTable
          caption="Failures and checkpoints (simulated)"
          name="cluster-failures"
          columns={kvColumns}
          rows={failRows}
          rowKey={(x) => x.key}
          stale={stale}
        />
      ) : null}
    </>
  );

  const explanation = (
    <div className="cluster-explain">
      <p>
        Nothing here runs on your GPU: every number is computed from a named model or simulated, so it works on any
        device.
      </p>
      <ul>
        <li>
          <strong>Parameters</strong> Ψ = 12·L·h² + 13·L·h + V·h + 2h (GPT layers, tied embedding; Narayanan et al.
          2021). Llama-shaped presets use their L, h and heads in this formula.
        </li>
        <li>
          <strong>Model states</strong> (ZeRO, Rajbhandari et al. 2020): (2 + 2 + K)Ψ bytes with K = 12 for
          mixed-precision Adam. Stage 1 divides KΨ, stage 2 also the gradients, stage 3 (= FSDP full shard) also the
          weights by the <em>data-parallel</em> degree N_d = GPUs ÷ (t·p), not by the GPU count. Their 7.5B example: 120
          GB with DDP, 31.4 / 16.6 / 1.9 GB with stages 1 / 2 / 3 at N_d = 64 (the tests reproduce it).
        </li>
        <li>
          <strong>Activations</strong> per layer (Korthikanti et al. 2022): s·b·h·(34 + 5·a·s/h) bytes; with tensor
          parallelism s·b·h·(10 + 24/t + 5·a·s/(h·t)); sequence parallelism divides all of it by t; selective recompute
          drops the 5·a·s/h attention-score term; full recompute keeps 2·s·b·h. 1F1B’s first stage holds p
          micro-batches, GPipe’s all m.
        </li>
        <li>
          <strong>Step time</strong>: 6·Ψ·tokens FLOPs at the chosen share of the GPU’s dense BF16 peak; ring all-reduce
          sends 2(N−1)/N of the gradient bytes per GPU; ZeRO-3 gathers weights for forward and again for backward and
          reduce-scatters gradients: 3Ψ against DDP’s 2Ψ (ZeRO paper §7). Groups inside a node use NVLink, others the
          per-GPU network.
        </li>
        <li>
          <strong>Pipeline bubble</strong> (Narayanan et al. 2021): (p−1)/m of the ideal time for GPipe and 1F1B,
          (1/v)·(p−1)/m interleaved; the chart measures it from the schedule’s events.
        </li>
        <li>
          <strong>Failures</strong>: Meta’s Llama 3 report counts 419 unexpected interruptions in 54 days of training on
          up to 16,384 H100s, about 78% of them confirmed or suspected hardware issues; with its own tooling it kept
          effective training time above 90%. The simulation draws failures at that rate per GPU-hour, rolls back to the
          last durable checkpoint and restarts; the optimum checkpoint interval ≈ √(2·C·MTBF) (Young 1974; Daly 2006).
          Restart overhead, repair time and storage bandwidths are assumptions you set.
        </li>
      </ul>
    </div>
  );

  return <LabSections picture={picture} results={results} explanation={explanation} />;
}
