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
  return (
    <Plot
      className="cluster-chart"
      ariaLabel={`Loss scale over ${n} steps; ${run.skipped} overflow steps skipped`}
      height={130}
      legend={LEGEND}
      x={{ type: 'linear', domain: [0, Math.max(1, n - 1)], label: 'step' }}
      y={{
        type: 'log',
        base: 2,
        domain: [2 ** lo, 2 ** hi],
        label: 'loss scale (log₂)',
        format: (v) => `2^${Math.round(Math.log2(Number(v)))}`,
        grid: true,
      }}
      fallbackWidth={640}
    >
      {(ctx) => (
        <>
          <LineMark ctx={ctx} pts={run.steps.map((st, i) => [i, st.scale])} className="prec-scale" />
          {run.steps.map((s, i) =>
            s.overflow ? <circle key={i} cx={ctx.x(i)} cy={ctx.y(s.scale)} r={3} className="prec-overflow" /> : null,
          )}
        </>
      )}
    </Plot>
  );
}
