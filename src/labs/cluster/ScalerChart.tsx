import { key } from '../../charts/Legend';
import { LineMark } from '../../charts/marks';
import { Plot } from '../../charts/Plot';
import type { LossScaleRun } from '../../kernels/precision';

const LEGEND = [key.line('loss scale S', 'var(--sram)'), key.dot('overflow: step skipped', 'var(--error)')];

/** The dynamic loss scale over simulated steps (log₂ axis), overflow steps marked. */
export function ScalerChart({ run }: { run: LossScaleRun }) {
  const n = run.steps.length;
  const logs = run.steps.map((s) => Math.log2(s.scale));
  const lo = Math.min(...logs) - 1;
  const hi = Math.max(...logs) + 1;
  const even: number[] = [];
  for (let t = Math.ceil(lo / 2) * 2; t <= hi; t += 2) even.push(t);
  return (
    <Plot
      className="cluster-chart"
      ariaLabel={`Loss scale over ${n} steps; ${run.skipped} overflow steps skipped`}
      height={130}
      legend={LEGEND}
      x={{ type: 'linear', domain: [0, Math.max(1, n - 1)], label: 'step' }}
      y={{ type: 'linear', domain: [lo, hi], ticks: even, label: 'loss scale', format: (v) => `2^${v}`, grid: true }}
      fallbackWidth={640}
    >
      {(ctx) => (
        <>
          <LineMark ctx={ctx} pts={logs.map((l, i) => [i, l])} className="prec-scale" />
          {run.steps.map((s, i) => (s.overflow ? <circle key={i} cx={ctx.x(i)} cy={ctx.y(logs[i])} r={3} className="prec-overflow" /> : null))}
        </>
      )}
    </Plot>
  );
}
