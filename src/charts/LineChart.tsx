import { key, type LegendItem } from './Legend';
import { LineMark, RuleX, RuleY } from './marks';
import { Plot } from './Plot';
import type { TableSpec } from './DataTable';

export interface Series {
  label: string;
  /** CSS colour of the line (a palette variable), or a class that sets its stroke. */
  color?: string;
  className?: string;
  xs: readonly number[];
  ys: readonly number[];
  dashed?: boolean;
  /** Draw focusable dots at the points (sweeps) as well as the line. */
  dots?: boolean;
}

interface Props {
  series: Series[];
  xLabel: string;
  yLabel: string;
  xFormat?(v: number): string;
  yFormat(v: number): string;
  logY?: boolean;
  /** A horizontal threshold (SLO, alert) drawn dashed with its label. */
  hline?: { y: number; label: string };
  /** A vertical marker (the knee, the surge, the animation's position) with its label. */
  vline?: { x: number; label?: string; className?: string };
  /** A shaded x range (the surge window). */
  band?: { x0: number; x1: number; label: string };
  /** Points where something happened (alerts), drawn as triangles on the x axis. */
  marks?: { x: number; label: string; className?: string }[];
  yMin?: number;
  yMax?: number;
  /** Height of the plot area in px. */
  height?: number;
  ariaLabel: string;
  className?: string;
  testId?: string;
  table?: TableSpec;
}

/**
 * The kit's general line chart (serving's dashboards and sweeps, kv-cache's memory over time):
 * linear x, linear or log y, optional threshold, marker, shaded band and event marks. NaN values
 * break a line.
 */
export function LineChart({
  series,
  xLabel,
  yLabel,
  xFormat,
  yFormat,
  logY,
  hline,
  vline,
  band,
  marks,
  yMin,
  yMax,
  height = 180,
  ariaLabel,
  className,
  testId,
  table,
}: Props) {
  const xs = series.flatMap((s) => [...s.xs]).filter(Number.isFinite);
  const ys = series.flatMap((s) => [...s.ys]).filter((v) => Number.isFinite(v) && (!logY || v > 0));
  if (hline && Number.isFinite(hline.y)) ys.push(hline.y);
  const x0 = Math.min(...xs, band?.x0 ?? Infinity);
  const x1 = Math.max(...xs, band?.x1 ?? -Infinity);
  const lo = yMin ?? (logY ? Math.min(...ys) * 0.8 : 0);
  const hi = yMax ?? (ys.length ? Math.max(...ys) * (logY ? 1.25 : 1.05) : 1);
  const legend: LegendItem[] = series.map((s) => ({
    label: s.label,
    color: s.color,
    className: s.className,
    shape: s.dashed ? 'dash' : 'line',
  }));
  if (marks?.length) legend.push(key.tri('alert fired', undefined, 'chart-alert-mark'));
  const dots = series.some((s) => s.dots) || Boolean(marks?.length);
  return (
    <Plot
      className={className}
      ariaLabel={ariaLabel}
      height={height}
      testId={testId}
      interactive={dots}
      table={table}
      legend={legend}
      x={{
        type: 'linear',
        domain: [Number.isFinite(x0) ? x0 : 0, Number.isFinite(x1) ? x1 : 1],
        label: xLabel,
        format: xFormat ? (v) => xFormat(Number(v)) : undefined,
      }}
      y={{
        type: logY ? 'log' : 'linear',
        domain: [lo, hi],
        nice: !logY && yMax === undefined,
        label: `${yLabel}${logY ? ' (log scale)' : ''}`,
        format: (v) => yFormat(Number(v)),
        grid: true,
      }}
    >
      {(ctx) => (
        <>
          {band ? (
            <g>
              <rect
                x={ctx.x(band.x0)}
                y={ctx.top}
                width={Math.max(0, ctx.x(band.x1) - ctx.x(band.x0))}
                height={ctx.bottom - ctx.top}
                className="chart-band"
              />
              <text
                x={(ctx.x(band.x0) + ctx.x(band.x1)) / 2}
                y={ctx.top + 11}
                textAnchor="middle"
                className="mark-label chart-band-label"
              >
                {band.label}
              </text>
            </g>
          ) : null}
          {hline && Number.isFinite(hline.y) ? (
            <RuleY
              ctx={ctx}
              at={hline.y}
              label={hline.label}
              className="chart-threshold"
              stroke="var(--error)"
              dash="5 4"
            />
          ) : null}
          {series.map((s) => (
            <LineMark
              key={s.label}
              ctx={ctx}
              pts={s.xs.map((xv, i) => [xv, logY && !(s.ys[i] > 0) ? NaN : s.ys[i]] as const)}
              stroke={s.color}
              className={s.className}
              strokeDasharray={s.dashed ? '5 4' : undefined}
            />
          ))}
          {series.map((s) =>
            s.dots
              ? s.xs.map((xv, i) => {
                  const yv = s.ys[i];
                  if (!Number.isFinite(yv) || (logY && yv <= 0)) return null;
                  const at: [number, number] = [ctx.x(xv), ctx.y(yv)];
                  return (
                    <circle
                      key={`${s.label}${i}`}
                      cx={at[0]}
                      cy={at[1]}
                      r={3}
                      fill={s.color}
                      className={s.className}
                      {...ctx.tip(
                        [s.label, `${xLabel}: ${xFormat ? xFormat(xv) : xv}`, `${yLabel}: ${yFormat(yv)}`],
                        at,
                      )}
                    />
                  );
                })
              : null,
          )}
          {vline ? (
            <RuleX
              ctx={ctx}
              at={vline.x}
              label={vline.label}
              labelY={ctx.top + 24}
              className={vline.className ?? 'chart-marker'}
              testId={testId ? `${testId}-marker` : undefined}
              dash="4 3"
            />
          ) : null}
          {marks?.map((m, i) => {
            const at: [number, number] = [ctx.x(m.x), ctx.bottom - 1];
            return (
              <path
                key={i}
                d={`M${at[0]},${at[1]}l-4,-7h8z`}
                className={`chart-alert-mark${m.className ? ` ${m.className}` : ''}`}
                {...ctx.tip([m.label], at)}
              />
            );
          })}
        </>
      )}
    </Plot>
  );
}
