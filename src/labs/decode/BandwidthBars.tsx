import { scaleLinear } from 'd3';
import { fmtGBps, fmtMs } from '../../ui/format';
import { SHORT_LABELS } from '../../kernels/quant';
import type { DecodeRow } from './run';

const W = 560;
const ROW = 30;
const L = 150;
const R = 90;

/**
 * One bar per weight format: effective bandwidth (W, x and y moved once, over the measured time),
 * against this device's measured copy roof. A memory-bound GEMV at the roof would take time
 * proportional to its bytes, so the int4 bar should stay near the roof while its time falls.
 */
export function BandwidthBars({ rows, copyGBps }: { rows: DecodeRow[]; copyGBps: number | null }) {
  const H = rows.length * ROW + 36;
  const max = Math.max(copyGBps ?? 0, ...rows.map((r) => r.effectiveGBps)) * 1.08 || 1;
  const x = scaleLinear()
    .domain([0, max])
    .range([L, W - R])
    .nice();
  return (
    <svg
      className="chart decode-bars"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label="Effective bandwidth of each weight format against the measured copy roof"
    >
      {x.ticks(4).map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={4} y2={H - 26} stroke="var(--border)" />
          <text x={x(t)} y={H - 12} textAnchor="middle" className="decode-tick">
            {fmtGBps(t)}
          </text>
        </g>
      ))}
      {rows.map((r, i) => (
        <g key={r.variant} transform={`translate(0, ${8 + i * ROW})`}>
          <text x={L - 8} y={ROW / 2} textAnchor="end" className="decode-label">
            {SHORT_LABELS[r.variant]} · {r.bitsPerWeight.toFixed(2)} bits
          </text>
          <rect x={L} y={4} width={Math.max(1, x(r.effectiveGBps) - L)} height={ROW - 12} fill="var(--hbm)" rx={2}>
            <title>{`${r.label}: ${fmtGBps(r.effectiveGBps)} effective, ${fmtMs(r.medianMs)}`}</title>
          </rect>
          <text x={Math.max(x(r.effectiveGBps), L) + 6} y={ROW / 2} className="decode-value">
            {fmtMs(r.medianMs)}
          </text>
        </g>
      ))}
      {copyGBps ? (
        <g>
          <line x1={x(copyGBps)} x2={x(copyGBps)} y1={2} y2={H - 26} stroke="var(--hbm)" strokeDasharray="5 3" strokeWidth={2} />
          <text x={x(copyGBps) - 4} y={H - 28} textAnchor="end" className="decode-tick">
            copy roof (measured)
          </text>
        </g>
      ) : null}
    </svg>
  );
}
