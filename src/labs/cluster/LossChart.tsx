import { key } from '../../charts/Legend';
import { LineMark, RuleX } from '../../charts/marks';
import { Plot } from '../../charts/Plot';
import type { StepRecord } from '../../sim/cluster/trainingRun';
import type { FailureRecord } from '../../workers/clusterJob';

interface Props {
  records: StepRecord[];
  discarded: StepRecord[];
  reference: number[];
  checkpoints: number[];
  failures: FailureRecord[];
  steps: number;
}

const LEGEND = [
  key.line('loss (counted steps)', undefined, 'live-loss'),
  key.dash('single-process reference', undefined, undefined, 'live-ref'),
  key.dot('discarded after a failure', undefined, 'live-discarded'),
  key.box('checkpoint', 'var(--sram)'),
  key.line('failure', 'var(--error)'),
];

/** The live job's loss per step beside the reference, with checkpoints, failures and discarded steps. */
export function LossChart({ records, discarded, reference, checkpoints, failures, steps }: Props) {
  const max = Math.max(1.2, ...reference.slice(0, 3));
  // Losses above the axis are drawn at its top rather than off the chart.
  const clamp = (v: number) => Math.min(v, max);
  return (
    <Plot
      className="cluster-chart"
      ariaLabel={`Loss over ${records.length} counted steps; reference dashed`}
      height={170}
      legend={LEGEND}
      x={{ type: 'linear', domain: [0, Math.max(1, steps)], label: 'step' }}
      y={{ type: 'linear', domain: [0, max], label: 'loss', format: (v) => Number(v).toFixed(2), grid: true }}
      fallbackWidth={640}
    >
      {(ctx) => (
        <>
          <LineMark ctx={ctx} pts={reference.map((v, s) => [s, clamp(v)])} className="live-ref" />
          {discarded.map((r, i) => (
            <circle key={`d${i}`} cx={ctx.x(r.step)} cy={ctx.y(clamp(r.loss))} r={2.2} className="live-discarded" />
          ))}
          <LineMark ctx={ctx} pts={records.filter(Boolean).map((r) => [r.step, clamp(r.loss)])} className="live-loss" />
          {checkpoints.map((c, i) => (
            <line key={`c${i}`} x1={ctx.x(c)} x2={ctx.x(c)} y1={ctx.bottom} y2={ctx.bottom - 8} className="live-ckpt" />
          ))}
          {failures.map((f, i) => (
            <RuleX
              key={`f${i}`}
              ctx={ctx}
              at={f.step}
              className="live-fail"
              label={`rank ${f.ranks.join(',')} lost → back to ${f.resumedFrom}`}
              labelY={ctx.top + 10 + 13 * i}
            />
          ))}
        </>
      )}
    </Plot>
  );
}
