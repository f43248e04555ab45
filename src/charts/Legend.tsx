import { LINE_PX, SWATCH_PX, type LegendLayout } from './layout';

/** One legend entry: a swatch in the mark's own colour and style, and its words. */
export interface LegendItem {
  label: string;
  /** CSS colour (a palette variable such as var(--hbm)) of the swatch. */
  color?: string;
  /** A CSS class that colours the swatch instead (labs whose marks are styled by class). */
  className?: string;
  /** line: a stroke; dash: a dashed stroke; box: a filled square; dot / ring: a point; tri: a marker. */
  shape?: 'line' | 'dash' | 'box' | 'dot' | 'ring' | 'tri' | 'hatch';
  /** A dash pattern for 'dash' (defaults to "5 3"). */
  dash?: string;
}

/** Swatch geometry as paths only: legends add no <rect> or <circle> that tests count as data. */
function swatch(it: LegendItem) {
  const c = it.color;
  const y = -LINE_PX / 2 + 3;
  switch (it.shape ?? 'box') {
    case 'line':
    case 'dash':
      return (
        <path
          d={`M0,${y}h18`}
          stroke={c}
          strokeWidth={2.5}
          strokeDasharray={it.shape === 'dash' ? (it.dash ?? '5 3') : undefined}
          className={it.className}
          fill="none"
        />
      );
    case 'dot':
    case 'ring':
      return (
        <path
          d={`M5,${y}a4,4 0 1,0 8,0a4,4 0 1,0 -8,0`}
          fill={it.shape === 'ring' ? 'none' : c}
          stroke={c}
          strokeWidth={it.shape === 'ring' ? 1.5 : 0}
          className={it.className}
        />
      );
    case 'tri':
      return <path d={`M9,${y + 4}l-4,-8h8z`} fill={c} className={it.className} />;
    case 'hatch':
      return <path d={`M2,${y - 5}h14v10h-14z`} fill={c} stroke={c} strokeDasharray="2 2" className={it.className} />;
    default:
      return <path d={`M2,${y - 5}h14v10h-14z`} fill={c} className={it.className} />;
  }
}

/** The legend, laid out by layout.legendLayout: a column beside the plot or rows below it, never over it. */
export function Legend({ items, layout, transform }: { items: LegendItem[]; layout: LegendLayout; transform: string }) {
  return (
    <g className="legend" transform={transform} aria-hidden="true">
      {items.map((it, i) => (
        <g key={it.label} transform={`translate(${layout.at[i].x},${layout.at[i].y + LINE_PX - 3})`}>
          {swatch(it)}
          <text x={SWATCH_PX}>{it.label}</text>
        </g>
      ))}
    </g>
  );
}

/** Legend entries in one call each: `key.line('P50', 'var(--compute)')`. */
export const key = {
  line: (label: string, color?: string, className?: string): LegendItem => ({ label, color, className, shape: 'line' }),
  dash: (label: string, color?: string, dash?: string, className?: string): LegendItem => ({
    label,
    color,
    className,
    shape: 'dash',
    dash,
  }),
  box: (label: string, color?: string, className?: string): LegendItem => ({ label, color, className, shape: 'box' }),
  dot: (label: string, color?: string, className?: string): LegendItem => ({ label, color, className, shape: 'dot' }),
  ring: (label: string, color?: string): LegendItem => ({ label, color, shape: 'ring' }),
  tri: (label: string, color?: string, className?: string): LegendItem => ({ label, color, className, shape: 'tri' }),
};
