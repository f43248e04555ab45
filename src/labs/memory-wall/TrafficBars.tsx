import { key } from '../../charts/Legend';
import { fitLabel, textWidth } from '../../charts/layout';
import { Plot } from '../../charts/Plot';

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

const LEGEND = [key.box('read', 'var(--hbm)'), { label: 'written', color: 'url(#mw-hatch)', shape: 'hatch' as const }];

/**
 * What fusion saves, per element: the unfused chain writes t and reads it back twice; the fused
 * kernel reads its two inputs once and writes its output once. Reads solid, writes hatched; each
 * kernel's name under its part of the bar (on a second line where the part is too narrow).
 */
export function TrafficBars() {
  return (
    <Plot
      className="traffic-bars"
      ariaLabel="Bytes moved per element: unfused 28 bytes over three kernels, fused 12 bytes in one"
      height={CHAINS.length * 64}
      legend={LEGEND}
      x={{
        type: 'linear',
        domain: [0, 28],
        label: 'bytes of global memory traffic per element',
        format: (v) => `${v} B`,
        grid: true,
      }}
      y={{ type: 'band', domain: CHAINS.map((c) => c.name), padding: 0.5 }}
      pad={{ right: 36 }}
    >
      {(ctx) => (
        <>
          <defs>
            <pattern id="mw-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" fill="var(--hbm-soft)" />
              <line x1="0" y1="0" x2="0" y2="6" stroke="var(--hbm)" strokeWidth="3" />
            </pattern>
          </defs>
          {CHAINS.map((c) => {
            const y0 = ctx.y(c.name);
            const h = ctx.y.bandwidth;
            let at = 0;
            const total = c.segments.reduce((s, g) => s + g.read + g.write, 0);
            return (
              <g key={c.name}>
                {c.segments.map((s, k) => {
                  const x0 = at;
                  at += s.read + s.write;
                  const mid = (ctx.x(x0) + ctx.x(at)) / 2;
                  // Alternate lines under neighbouring parts when the part is narrower than its name.
                  const narrow = ctx.x(at) - ctx.x(x0) < textWidth(s.label) + 6;
                  const l = fitLabel(mid, s.label, ctx.left, ctx.width - 2);
                  return (
                    <g key={s.label}>
                      <rect
                        x={ctx.x(x0)}
                        y={y0}
                        width={ctx.x(x0 + s.read) - ctx.x(x0)}
                        height={h}
                        fill="var(--hbm)"
                        stroke="var(--bg)"
                      />
                      <rect
                        x={ctx.x(x0 + s.read)}
                        y={y0}
                        width={ctx.x(at) - ctx.x(x0 + s.read)}
                        height={h}
                        fill="url(#mw-hatch)"
                        stroke="var(--bg)"
                      />
                      <text
                        x={l.x}
                        y={y0 + h + 12 + (narrow && k % 2 ? 12 : 0)}
                        textAnchor={l.anchor}
                        className="seg-label"
                      >
                        {s.label}
                      </text>
                    </g>
                  );
                })}
                <text x={ctx.x(at) + 6} y={y0 + h / 2} dy="0.35em" className="bar-total">
                  {total} B
                </text>
              </g>
            );
          })}
        </>
      )}
    </Plot>
  );
}
