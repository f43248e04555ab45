import { scaleLinear } from 'd3';
import type { FileVariant } from '../../data/measure';
import { fmtBytes, fmtMs } from '../../ui/format';
import { VARIANT_CLASS } from './labels';

/** File size of each variant, linear from 0 so ratios read true; the write time beside it. */
export function SizeBars({ variants }: { variants: FileVariant[] }) {
  const W = 720;
  const left = 210;
  const right = 190;
  const bar = 18;
  const H = variants.length * (bar + 6) + 8;
  const csv = variants.find((v) => v.format === 'csv');
  const x = scaleLinear()
    .domain([0, Math.max(...variants.map((v) => v.bytes))])
    .range([left, W - right]);
  return (
    <div className="df-scroll">
      <svg viewBox={`0 0 ${W} ${H}`} className="chart df-sizes" role="img" aria-label="File size of each format">
        {variants.map((v, i) => (
          <g key={v.id} transform={`translate(0,${4 + i * (bar + 6)})`}>
            <text x={left - 6} y={bar - 4} textAnchor="end" className="df-bar-label">
              {v.label}
            </text>
            <rect x={left} width={Math.max(1, x(v.bytes) - left)} height={bar} className={VARIANT_CLASS[v.id] ?? 'df-csv'} />
            <text x={x(v.bytes) + 4} y={bar - 4} className="df-bar-value">
              {fmtBytes(v.bytes)}
              {csv && v !== csv ? ` · ${(v.bytes / csv.bytes).toFixed(2)}× CSV` : ''} · written in {fmtMs(v.writeMs)}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}
