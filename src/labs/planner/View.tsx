import type { LabViewProps } from '../../labkit/contract';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { LabSections } from '../../ui/Section';
import { fmtBytes } from '../../ui/format';
import { ModelConfigInput } from '../../ui/ModelConfigInput';
import type { meta } from './meta';
import type { Figure, Plan } from './plan';
import { PREFILL_MFU } from '../../sim/serving/prefill';
import './planner.css';

type Props = LabViewProps<typeof meta.schema, Plan>;

/** The cluster lab's memory colours: weights orange, gradients and KV light orange, optimizer teal, activations violet, the rest grey. */
function colour(label: string): string {
  if (label.startsWith('Weights')) return 'var(--hbm)';
  if (label.startsWith('Gradients') || label.startsWith('KV cache')) return 'var(--hbm-soft)';
  if (label.startsWith('Optimizer')) return 'var(--sram)';
  if (label.startsWith('Activations')) return 'var(--compute)';
  if (label.startsWith('KV room unused')) return 'transparent';
  return 'var(--idle)';
}

const columns: Column<Figure>[] = [
  { key: 'label', label: 'Figure', render: (f) => f.label, value: (f) => f.label },
  { key: 'value', label: 'Value', render: (f) => <strong>{f.value}</strong>, value: (f) => f.value },
  { key: 'how', label: 'From', render: (f) => <span className="muted">{f.how}</span>, value: (f) => f.how },
  { key: 'link', label: 'Lab', render: (f) => (f.link ? <a href={f.link}>open</a> : '—'), value: (f) => f.link ?? '' },
];

function MemorySplit({ plan }: { plan: Plan }) {
  const total = plan.capacityBytes;
  return (
    <figure className="planner-memory" aria-label="Memory per GPU">
      <figcaption>
        Memory of one {plan.gpu} ({fmtBytes(total)})
      </figcaption>
      <div className="planner-bar">
        {plan.memory.map((m) => (
          <span
            key={m.label}
            style={{ width: `${Math.min(100, (100 * m.bytes) / total)}%`, background: colour(m.label) }}
            title={`${m.label}: ${fmtBytes(m.bytes)}`}
          />
        ))}
      </div>
      <ul className="planner-legend">
        {plan.memory.map((m) => (
          <li key={m.label}>
            <i style={{ background: colour(m.label) }} /> {m.label}: {fmtBytes(m.bytes)}
          </li>
        ))}
      </ul>
    </figure>
  );
}

export function PlannerView({ params, result, stale, actions }: Props) {
  const plan = result.data;
  const own =
    params.model === 'own' ? (
      <ModelConfigInput
        encoded={params.config}
        onApply={(encoded) => {
          actions.setParams({ config: encoded });
          // The config is a view-placed parameter (it does not re-run by itself): run with it now.
          actions.run();
        }}
      />
    ) : null;
  const picture = (
    <>
      {own}
      {result.status === 'error' ? (
        <div className="notice" role="alert">
          <p>{result.error}</p>
        </div>
      ) : null}
      {plan ? (
        <div className={stale ? 'stale' : undefined} data-testid="planner-plan">
          <p className="planner-headline">
            <strong>{plan.gpus.toLocaleString('en-US')} GPUs</strong> for {plan.model} on {plan.gpu},{' '}
            <strong>${Math.round(plan.dollarsPerHour).toLocaleString('en-US')}/hour</strong>
          </p>
          <dl className="planner-figures">
            {plan.figures.map((f) => (
              <div key={f.label}>
                <dt>{f.label}</dt>
                <dd>{f.link ? <a href={f.link}>{f.value}</a> : f.value}</dd>
              </div>
            ))}
          </dl>
          <MemorySplit plan={plan} />
        </div>
      ) : result.status !== 'error' ? (
        <p className="muted">Planning…</p>
      ) : null}
    </>
  );
  return (
    <LabSections
      picture={picture}
      results={
        plan ? (
          <ResultsTable
            rows={plan.figures}
            columns={columns}
            rowKey={(f) => f.label}
            caption="The plan, each figure with how it was computed (simulated from datasheet peaks, not measured)"
          />
        ) : null
      }
      explanation={
        <p>
          Every figure comes from the models the other labs run: a serving replica is the fewest GPUs that hold the
          weights in the chosen format (BF16, FP8 or int4) with a quarter of memory left for the KV cache (its
          tensor-parallel all-reduces included), its users are what its KV memory holds and its roofline step time allows
          under the latency target, with the prefills of their new prompts counted in every step. Time to first token is
          the prompt’s compute-bound prefill (2 FLOPs per active parameter per token plus causal attention’s term, at an
          assumed {Math.round(PREFILL_MFU * 100)} % of the GPUs’ matmul peak, FP8 for FP8 weights on GPUs that have
          it) plus the step in flight; a training job is 6 ×
          active parameters × tokens of FLOPs at the chosen share of the dense BF16 peak, laid out with the smallest
          tensor × pipeline group whose fullest GPU fits (ZeRO and Korthikanti et al.’s activations, as in the cluster
          lab). Datasheet peaks make these lower bounds on GPUs. Prices are the catalog’s indicative rates unless you
          set your own. Each linked figure opens the lab with this model and GPU.
        </p>
      }
    />
  );
}
