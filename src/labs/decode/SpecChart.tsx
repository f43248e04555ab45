import { line, scaleLinear, scaleLog } from 'd3';
import { fmtRatio } from '../../ui/format';
import type { BatchPoint } from '../../sim/speculative';

const W = 560;
const H = 230;
const P = { l: 52, r: 120, t: 12, b: 38 };

interface Props {
  /** Speedup with v measured from this device's GEMM times. */
  measured: BatchPoint[];
  /** Leviathan et al.'s formula (v = 1), the same at every batch. */
  paper: number;
  /** Largest row count actually measured; points beyond it are extrapolated (drawn hollow). */
  maxMeasuredRows: number;
}

/** Speculative decoding's speedup against batch size: the paper's v = 1 line and the measured one. */
export function SpecChart({ measured, paper, maxMeasuredRows }: Props) {
  const bs = measured.map((p) => p.batch);
  const x = scaleLog()
    .base(2)
    .domain([bs[0] ?? 1, bs[bs.length - 1] ?? 64])
    .range([P.l, W - P.r]);
  const top = Math.max(paper, ...measured.map((p) => p.speedup), 1.2) * 1.1;
  const y = scaleLinear()
    .domain([0, top])
    .range([H - P.b, P.t])
    .nice();
  const path = line<BatchPoint>()
    .x((d) => x(d.batch))
    .y((d) => y(d.speedup));
  return (
    <svg className="chart decode-spec" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Speculative decoding speedup against batch size">
      {y.ticks(5).map((t) => (
        <g key={t}>
          <line x1={P.l} x2={W - P.r} y1={y(t)} y2={y(t)} stroke="var(--border)" />
          <text x={P.l - 6} y={y(t) + 4} textAnchor="end" className="decode-tick">
            {t}×
          </text>
        </g>
      ))}
      {bs.map((b) => (
        <text key={b} x={x(b)} y={H - P.b + 15} textAnchor="middle" className="decode-tick">
          {b}
        </text>
      ))}
      <text x={(P.l + W - P.r) / 2} y={H - 4} textAnchor="middle" className="decode-tick">
        batch size b (log₂ scale)
      </text>
      <line x1={P.l} x2={W - P.r} y1={y(1)} y2={y(1)} stroke="var(--fg-2)" strokeWidth={1.5} />
      <text x={W - P.r + 4} y={y(1) + 4} className="decode-tick">
        no gain (1×)
      </text>
      <line x1={P.l} x2={W - P.r} y1={y(paper)} y2={y(paper)} stroke="var(--compute)" strokeDasharray="5 4" strokeWidth={1.5} />
      <text x={W - P.r + 4} y={y(paper) + 4} className="decode-tick" fill="var(--compute)">
        paper, v = 1: {fmtRatio(paper)}
      </text>
      <path d={path(measured) ?? ''} fill="none" stroke="var(--hbm)" strokeWidth={2.5} />
      {measured.map((p) => (
        <circle key={p.batch} cx={x(p.batch)} cy={y(p.speedup)} r={3.5} fill={p.rows <= maxMeasuredRows ? 'var(--hbm)' : 'var(--bg)'} stroke="var(--hbm)">
          <title>{`b = ${p.batch}: verification has ${p.rows} rows, v = ${p.v.toFixed(2)}, speedup ${fmtRatio(p.speedup)}${p.rows > maxMeasuredRows ? ' (extrapolated)' : ''}`}</title>
        </circle>
      ))}
      {measured.length ? (
        <text x={W - P.r + 4} y={labelY(y(measured[measured.length - 1].speedup), [y(1), y(paper)]) + 4} className="decode-tick" fill="var(--hbm)">
          measured v
        </text>
      ) : null}
    </svg>
  );
}

/** Moves a line-end label off the other labels' rows (at least 12 px from each). */
function labelY(at: number, taken: number[]): number {
  let yPos = at;
  for (let i = 0; i < 4; i++) {
    const clash = taken.find((t) => Math.abs(t - yPos) < 12);
    if (clash === undefined) break;
    yPos = clash + (yPos >= clash ? 12 : -12);
  }
  return yPos;
}
