import { key } from '../../charts/Legend';
import { Plot } from '../../charts/Plot';
import type { KernelMeasurement } from '../../kernels/measure';
import { fmtMs } from '../../ui/format';

interface Row {
  label: string;
  className: string;
  m: KernelMeasurement;
}

/**
 * Per-sample times of each ceiling kernel relative to its median (1× = the median, drawn as a bar):
 * how much to trust the number. Relative, so kernels whose times differ by orders of magnitude
 * share one axis; each row's name carries its median in ms.
 */
export function SamplesChart({ rows }: { rows: Row[] }) {
  const name = (r: Row) => `${r.label} · median ${fmtMs(r.m.medianMs)}`;
  const rel = (r: Row) => (r.m.samplesMs.length ? r.m.samplesMs : [r.m.medianMs]).map((s) => s / r.m.medianMs);
  const all = rows.flatMap(rel).filter(Number.isFinite);
  const lo = Math.min(1, ...all);
  const hi = Math.max(1, ...all);
  const pad = Math.max((hi - lo) * 0.15, 0.02);
  return (
    <Plot
      ariaLabel="Timed samples per kernel relative to its median; the table below lists the medians"
      height={rows.length * 36}
      legend={[key.dot('one timed sample', 'var(--idle)'), key.line('median', 'var(--fg)')]}
      x={{
        type: 'linear',
        domain: [Math.max(0, lo - pad), hi + pad],
        nice: true,
        label: 'sample time ÷ median',
        format: (v) => `${+Number(v).toFixed(3)}×`,
        grid: true,
      }}
      y={{ type: 'band', domain: rows.map(name), padding: 0.3, inline: true }}
    >
      {(ctx) =>
        rows.map((r) => {
          const y0 = ctx.y(name(r));
          const mid = y0 + ctx.y.bandwidth / 2;
          return (
            <g key={r.label}>
              {rel(r).map((v, j) => (
                <circle key={j} cx={ctx.x(v)} cy={mid} r={4} fill="var(--idle)" opacity={0.8}>
                  <title>{`${r.label}, sample ${j + 1}: ${fmtMs(v * r.m.medianMs)}`}</title>
                </circle>
              ))}
              <line
                x1={ctx.x(1)}
                x2={ctx.x(1)}
                y1={y0}
                y2={y0 + ctx.y.bandwidth}
                stroke={`var(--${r.className})`}
                strokeWidth={3}
              />
            </g>
          );
        })
      }
    </Plot>
  );
}
