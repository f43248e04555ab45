import { line, scaleLog } from 'd3';
import { fmtGflops } from '../../ui/format';
import type { QuantVariant } from '../../kernels/quant';
import type { SweepPoint } from './run';

const W = 560;
const H = 260;
const P = { l: 88, r: 110, t: 12, b: 38 };

const STYLE: Record<string, { stroke: string; dash?: string }> = {
  f32: { stroke: 'var(--idle)' },
  int8: { stroke: 'var(--sram)' },
  int4: { stroke: 'var(--hbm)' },
};

interface Props {
  points: SweepPoint[];
  copyGBps: number | null;
  fmaGflops: number | null;
  /** Bytes per weight of each variant, for its bandwidth bound. */
  bytesPerWeight: Partial<Record<QuantVariant, number>>;
  N: number;
  K: number;
}

/**
 * Useful GFLOP/s against the number of rows M (log scales). Solid: measured. Dashed: the roofline
 * bound of each format, min(FMA roof, copy roof × intensity(M)) with intensity = 2MNK / (bytes of
 * W + x + y once): it rises with M while memory-bound and meets the flat FMA roof where the
 * format stops being limited by its bytes. int4's bound is ~7× f32's until both reach the roof.
 */
export function SweepChart({ points, copyGBps, fmaGflops, bytesPerWeight, N, K }: Props) {
  const variants = [...new Set(points.map((p) => p.variant))];
  const ms = [...new Set(points.map((p) => p.M))].sort((a, b) => a - b);
  const bound = (v: QuantVariant, M: number) => {
    if (!copyGBps) return null;
    const bytes = (bytesPerWeight[v] ?? 4) * N * K + 4 * M * K + 4 * M * N;
    const mem = (copyGBps * 2 * M * N * K) / bytes;
    return fmaGflops ? Math.min(mem, fmaGflops) : mem;
  };
  const ys = [
    ...points.map((p) => p.gflopPerS),
    ...(fmaGflops ? [fmaGflops] : []),
    ...variants.flatMap((v) => ms.map((M) => bound(v, M) ?? NaN)).filter(Number.isFinite),
  ].filter((v) => v > 0);
  const y = scaleLog()
    .domain([Math.min(...ys) / 1.5, Math.max(...ys) * 1.5])
    .range([H - P.b, P.t]);
  const x = scaleLog()
    .base(2)
    .domain([ms[0] ?? 1, ms[ms.length - 1] ?? 64])
    .range([P.l, W - P.r]);
  // End labels of the measured lines, pushed apart so they never overlap (12 px apart at least).
  const ends = variants
    .map((v) => {
      const pts = points.filter((p) => p.variant === v);
      return { v, y: pts.length ? y(pts[pts.length - 1].gflopPerS) : NaN };
    })
    .filter((e) => Number.isFinite(e.y))
    .sort((a, b) => a.y - b.y);
  for (let i = 1; i < ends.length; i++) ends[i].y = Math.max(ends[i].y, ends[i - 1].y + 12);
  const labels = new Map(ends.map((e) => [e.v, e.y]));
  const path = line<[number, number]>()
    .x((d) => x(d[0]))
    .y((d) => y(d[1]));
  return (
    <svg className="chart decode-sweep" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="GFLOP/s against rows M for each weight format, with roofline bounds">
      {decades(y.domain() as [number, number]).map((t) => (
        <g key={t}>
          <line x1={P.l} x2={W - P.r} y1={y(t)} y2={y(t)} stroke="var(--border)" />
          <text x={P.l - 6} y={y(t) + 4} textAnchor="end" className="decode-tick">
            {fmtGflops(t)}
          </text>
        </g>
      ))}
      {ms.map((M) => (
        <text key={M} x={x(M)} y={H - P.b + 15} textAnchor="middle" className="decode-tick">
          {M}
        </text>
      ))}
      <text x={(P.l + W - P.r) / 2} y={H - 4} textAnchor="middle" className="decode-tick">
        rows M (log₂ scale)
      </text>
      <text x={12} y={(P.t + H - P.b) / 2} textAnchor="middle" className="decode-tick" transform={`rotate(-90 12 ${(P.t + H - P.b) / 2})`}>
        useful FLOP/s (log scale)
      </text>
      {fmaGflops ? (
        <g>
          <line x1={P.l} x2={W - P.r} y1={y(fmaGflops)} y2={y(fmaGflops)} stroke="var(--compute)" strokeWidth={2} />
          <text x={W - P.r + 4} y={y(fmaGflops) + 4} className="decode-tick" fill="var(--compute)">
            FMA roof
          </text>
        </g>
      ) : null}
      {variants.map((v) => {
        const st = STYLE[v] ?? { stroke: 'var(--fg)' };
        const labelY = labels.get(v);
        const measured = points.filter((p) => p.variant === v).map((p) => [p.M, p.gflopPerS] as [number, number]);
        const b = ms.map((M) => [M, bound(v, M)] as [number, number | null]).filter((d): d is [number, number] => d[1] !== null);
        const last = measured[measured.length - 1];
        return (
          <g key={v}>
            {b.length ? <path d={path(b) ?? ''} fill="none" stroke={st.stroke} strokeDasharray="5 4" strokeWidth={1.5} opacity={0.8} /> : null}
            <path d={path(measured) ?? ''} fill="none" stroke={st.stroke} strokeWidth={2.5} />
            {measured.map(([M, g]) => (
              <circle key={M} cx={x(M)} cy={y(g)} r={3} fill={st.stroke}>
                <title>{`${v}, M = ${M}: ${fmtGflops(g)}`}</title>
              </circle>
            ))}
            {last && labelY !== undefined ? (
              <text x={W - P.r + 4} y={labelY + 4} className="decode-tick" fill={st.stroke}>
                {v} measured
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

/** Powers of ten inside the domain: one tick per decade, so log-scale labels never crowd. */
function decades([lo, hi]: [number, number]): number[] {
  const out: number[] = [];
  for (let e = Math.ceil(Math.log10(lo)); e <= Math.floor(Math.log10(hi)); e++) out.push(10 ** e);
  return out.length ? out : [lo];
}
