import { key } from '../../charts/Legend';
import { EndLabels, LineMark, RuleY } from '../../charts/marks';
import { Plot } from '../../charts/Plot';
import { fmtGflops } from '../../ui/format';
import type { QuantVariant } from '../../kernels/quant';
import type { SweepPoint } from './run';

const COLOUR: Record<string, string> = { f32: 'var(--idle)', int8: 'var(--sram)', int4: 'var(--hbm)' };

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
  const legend = [
    ...variants.map((v) => key.line(`${v} measured`, COLOUR[v] ?? 'var(--fg)')),
    key.dash('roofline bound of each format', 'var(--fg-2)'),
  ];
  return (
    <Plot
      className="decode-sweep"
      ariaLabel="GFLOP/s against rows M for each weight format, with roofline bounds"
      height={200}
      interactive
      table={{
        caption: 'measured GFLOP/s per format and row count',
        columns: ['format', 'rows M', 'measured', 'roofline bound'],
        rows: points.map((p) => [
          p.variant,
          p.M,
          fmtGflops(p.gflopPerS),
          bound(p.variant, p.M) === null ? '—' : fmtGflops(bound(p.variant, p.M)!),
        ]),
      }}
      legend={legend}
      pad={{ right: 70 }}
      x={{
        type: 'log',
        base: 2,
        domain: [ms[0] ?? 1, ms[ms.length - 1] ?? 64],
        ticks: ms,
        label: 'rows M (log₂ scale)',
      }}
      y={{
        type: 'log',
        domain: [Math.min(...ys) / 1.5, Math.max(...ys) * 1.5],
        label: 'useful FLOP/s (log scale)',
        format: (v) => fmtGflops(Number(v)),
        grid: true,
      }}
    >
      {(ctx) => (
        <>
          {fmaGflops ? (
            <RuleY ctx={ctx} at={fmaGflops} label="FMA roof" labelAt="right" stroke="var(--compute)" />
          ) : null}
          {variants.map((v) => {
            const c = COLOUR[v] ?? 'var(--fg)';
            const measured = points.filter((p) => p.variant === v).map((p) => [p.M, p.gflopPerS] as [number, number]);
            const b = ms.map((M) => [M, bound(v, M) ?? NaN] as [number, number]);
            return (
              <g key={v}>
                <LineMark ctx={ctx} pts={b} stroke={c} strokeDasharray="5 4" strokeWidth={1.5} opacity={0.8} />
                <LineMark ctx={ctx} pts={measured} stroke={c} strokeWidth={2.5} />
                {measured.map(([M, g]) => {
                  const at: [number, number] = [ctx.x(M), ctx.y(g)];
                  return (
                    <circle
                      key={M}
                      cx={at[0]}
                      cy={at[1]}
                      r={3}
                      fill={c}
                      {...ctx.tip([`${v}, M = ${M}`, fmtGflops(g)], at)}
                    />
                  );
                })}
              </g>
            );
          })}
          <EndLabels
            ctx={ctx}
            items={variants.map((v) => {
              const pts = points.filter((p) => p.variant === v);
              return {
                label: v,
                color: COLOUR[v] ?? 'var(--fg)',
                y: pts.length ? ctx.y(pts[pts.length - 1].gflopPerS) : NaN,
              };
            })}
          />
        </>
      )}
    </Plot>
  );
}
