import { scaleLinear } from 'd3';
import { useMemo } from 'react';

interface Segment {
  label: string;
  read: number;
  write: number;
}

/** Bytes of global-memory traffic per element for each kernel of the chain (bias ignored: it stays in cache). */
const CHAINS: { name: string; segments: Segment[] }[] = [
  {
    name: 'unfused',
    segments: [
      { label: 'bias: x→t', read: 4, write: 4 },
      { label: 'GELU: t→t', read: 4, write: 4 },
      { label: 'residual: t+r→out', read: 8, write: 4 },
    ],
  },
  { name: 'fused', segments: [{ label: 'x, r → out', read: 8, write: 4 }] },
];

/**
 * What fusion saves, per element: the unfused chain writes t and reads it back twice; the fused
 * kernel reads its two inputs once and writes its output once. Reads solid, writes hatched.
 */
export function TrafficBars() {
  const width = 640;
  const left = 80;
  const rowH = 46;
  const height = CHAINS.length * rowH + 34;
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([0, 28])
        .range([left, width - 50]),
    [],
  );
  return (
    <svg
      className="chart traffic-bars"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Bytes moved per element: unfused 28 bytes over three kernels, fused 12 bytes in one"
    >
      <defs>
        <pattern id="mw-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="6" height="6" fill="var(--hbm-soft)" />
          <line x1="0" y1="0" x2="0" y2="6" stroke="var(--hbm)" strokeWidth="3" />
        </pattern>
      </defs>
      {CHAINS.map((c, i) => {
        let at = 0;
        const y = 8 + i * rowH;
        const total = c.segments.reduce((s, g) => s + g.read + g.write, 0);
        return (
          <g key={c.name} transform={`translate(0,${y})`}>
            <text x={0} y={18} className="bar-name">
              {c.name}
            </text>
            {c.segments.map((s) => {
              const x0 = at;
              at += s.read + s.write;
              return (
                <g key={s.label}>
                  <rect x={x(x0)} y={4} width={x(x0 + s.read) - x(x0)} height={20} fill="var(--hbm)" stroke="var(--bg)" />
                  <rect x={x(x0 + s.read)} y={4} width={x(at) - x(x0 + s.read)} height={20} fill="url(#mw-hatch)" stroke="var(--bg)" />
                  <text x={(x(x0) + x(at)) / 2} y={38} textAnchor="middle" className="seg-label">
                    {s.label}
                  </text>
                </g>
              );
            })}
            <text x={x(at) + 6} y={19} className="bar-total">
              {total} B
            </text>
          </g>
        );
      })}
      <text x={left} y={height - 4} className="seg-label">
        bytes of global memory traffic per element: solid = read, hatched = written
      </text>
    </svg>
  );
}
