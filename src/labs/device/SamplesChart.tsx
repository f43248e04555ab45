import { extent, scaleLinear } from 'd3';
import { useMemo } from 'react';
import type { KernelMeasurement } from '../../kernels/measure';
import { fmtMs } from '../../ui/format';

interface Row {
  label: string;
  className: string;
  m: KernelMeasurement;
}

/** Per-sample times of each ceiling kernel with the median marked: how much to trust the number. */
export function SamplesChart({ rows }: { rows: Row[] }) {
  const width = 560;
  const rowH = 56;
  const left = 110;
  const height = rows.length * rowH + 30;
  const scales = useMemo(
    () =>
      rows.map((r) => {
        const xs = r.m.samplesMs.length ? r.m.samplesMs : [r.m.medianMs];
        const [lo, hi] = extent(xs) as [number, number];
        const pad = Math.max((hi - lo) * 0.2, hi * 0.02);
        return scaleLinear().domain([Math.max(0, lo - pad), hi + pad]).range([left, width - 20]).nice();
      }),
    [rows],
  );
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Timed samples per kernel; the table below lists the medians">
      {rows.map((r, i) => {
        const x = scales[i];
        const y = 20 + i * rowH;
        const xs = r.m.samplesMs;
        return (
          <g key={r.label} transform={`translate(0,${y})`}>
            <text x={0} y={14} className={r.className}>
              {r.label}
            </text>
            <line x1={left} x2={width - 20} y1={10} y2={10} stroke="var(--border)" />
            {xs.map((s, j) => (
              <circle key={j} cx={x(s)} cy={10} r={4} fill="var(--idle)" opacity={0.8} />
            ))}
            <line x1={x(r.m.medianMs)} x2={x(r.m.medianMs)} y1={0} y2={20} stroke={`var(--${r.className})`} strokeWidth={3} />
            {x.ticks(4).map((t) => (
              <text key={t} x={x(t)} y={36} textAnchor="middle" className="muted">
                {fmtMs(t)}
              </text>
            ))}
          </g>
        );
      })}
    </svg>
  );
}
