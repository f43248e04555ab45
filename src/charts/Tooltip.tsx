import { LINE_PX, textWidth } from './layout';

export interface TipState {
  lines: string[];
  /** The mark's position in SVG pixels. */
  x: number;
  y: number;
}

/**
 * The one tooltip of every chart: a box beside the hovered or focused mark, flipped left or below
 * near the edges so it stays inside the SVG. Its text is the mark's accessible name, so a screen
 * reader already reads it on focus; the box is for the eyes.
 */
export function Tooltip({
  lines,
  x,
  y,
  width,
  height,
  className,
}: TipState & { width: number; height: number; className?: string }) {
  const w = Math.min(width - 4, Math.max(...lines.map((l) => textWidth(l, 11.5))) + 16);
  const h = lines.length * LINE_PX + 10;
  const tx = Math.max(2, Math.min(width - w - 2, x + 12 + w > width ? x - 12 - w : x + 12));
  const ty = Math.max(2, Math.min(height - h - 2, y - h - 8 < 0 ? y + 10 : y - h - 8));
  return (
    <g
      className={`chart-tooltip${className ? ` ${className}` : ''}`}
      transform={`translate(${tx},${ty})`}
      pointerEvents="none"
      aria-hidden="true"
    >
      <rect width={w} height={h} rx={4} />
      {lines.map((l, i) => (
        <text key={i} x={8} y={15 + i * LINE_PX} fontWeight={i === 0 ? 600 : 400}>
          {l}
        </text>
      ))}
    </g>
  );
}
