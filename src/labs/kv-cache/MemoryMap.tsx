import { memo, useMemo } from 'react';
import { unpackCell, type Cell } from '../../sim/kvcache';
import { SYSTEM_COLOR, SYSTEM_LIGHT, requestColor } from './colors';

/** Most cells drawn; larger memories show several blocks per cell. */
const MAX_CELLS = 2048;

interface Props {
  label: string;
  cells: Float64Array;
  blockSize: number;
  width: number;
  hover: number | null;
  onHover(id: number | null): void;
  /** Click pins a request's block table (touch screens, screenshots); clicking it again unpins. */
  onPick(id: number | null): void;
}

interface Drawn {
  cell: Cell | null;
  /** Filled share of the allocated slots in this cell, 0..1. */
  filled: number;
  allocated: boolean;
}

function ownerOf(target: EventTarget): number | null {
  const owner = (target as Element).getAttribute?.('data-owner');
  return owner === null || owner === undefined ? null : Number(owner);
}

function aggregate(cells: Float64Array, blockSize: number, group: number): Drawn[] {
  const out: Drawn[] = [];
  for (let i = 0; i < cells.length; i += group) {
    let first: Cell | null = null;
    let fill = 0;
    let owned = 0;
    for (let b = i; b < Math.min(cells.length, i + group); b++) {
      const c = unpackCell(cells[b]);
      if (!c) continue;
      first ??= c;
      fill += c.fill;
      owned++;
    }
    out.push({ cell: first, filled: owned ? fill / (owned * blockSize) : 0, allocated: owned > 0 });
  }
  return out;
}

/**
 * Physical KV memory as a grid of blocks: colour = owning request, solid part = slots holding a
 * token, pale part = allocated but empty (the waste), a white corner = block shared by several
 * sequences (reference count > 1), dark grey = shared system-prompt blocks.
 */
export const MemoryMap = memo(function MemoryMap({ label, cells, blockSize, width, hover, onHover, onPick }: Props) {
  const group = Math.max(1, Math.ceil(cells.length / MAX_CELLS));
  const drawn = useMemo(() => aggregate(cells, blockSize, group), [cells, blockSize, group]);
  const n = drawn.length;
  const cols = n <= 128 ? 16 : n <= 512 ? 32 : 64;
  const rows = Math.ceil(n / cols);
  const size = width / cols;
  const gap = size > 6 ? 1 : 0;
  const height = rows * size;
  return (
    <svg
      className="kv-map"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={`${label}: ${n} cells of ${group} block${group > 1 ? 's' : ''}, coloured by owning request`}
      onMouseLeave={() => onHover(null)}
      onMouseMove={(e) => onHover(ownerOf(e.target))}
      onClick={(e) => onPick(ownerOf(e.target))}
    >
      {drawn.map((d, i) => {
        const x = (i % cols) * size;
        const y = Math.floor(i / cols) * size;
        const s = size - gap;
        if (!d.cell) return <rect key={i} x={x} y={y} width={s} height={s} className="kv-free" />;
        const { owner, shared } = d.cell;
        const system = owner === -2;
        const dim = hover !== null && hover !== owner ? 0.22 : 1;
        const h = s * d.filled;
        return (
          <g key={i} opacity={dim} data-owner={owner}>
            <rect
              x={x}
              y={y}
              width={s}
              height={s}
              fill={system ? SYSTEM_LIGHT : requestColor(owner, true)}
              data-owner={owner}
            />
            {h > 0 ? (
              <rect
                x={x}
                y={y + s - h}
                width={s}
                height={h}
                fill={system ? SYSTEM_COLOR : requestColor(owner)}
                data-owner={owner}
              />
            ) : null}
            {shared ? (
              <path
                d={`M${x},${y}h${s * 0.5}L${x},${y + s * 0.5}Z`}
                fill="#fff"
                stroke="#000"
                strokeWidth={0.5}
                data-owner={owner}
              />
            ) : null}
          </g>
        );
      })}
    </svg>
  );
});

export function blocksPerCell(numBlocks: number): number {
  return Math.max(1, Math.ceil(numBlocks / MAX_CELLS));
}

/** A request's block table read off a map: per sequence, logical block -> physical block. */
export function blockTables(
  cells: Float64Array,
  id: number,
): { seq: number; entries: { logical: number; physical: number; fill: number; shared: boolean }[] }[] {
  const bySeq = new Map<number, { logical: number; physical: number; fill: number; shared: boolean }[]>();
  const sharedOnes: { logical: number; physical: number; fill: number; shared: boolean }[] = [];
  const system: { logical: number; physical: number; fill: number; shared: boolean }[] = [];
  for (let b = 0; b < cells.length; b++) {
    const c = unpackCell(cells[b]);
    if (!c) continue;
    const e = { logical: c.logical, physical: b, fill: c.fill, shared: c.shared };
    if (c.owner === -2) system.push(e);
    else if (c.owner === id) {
      if (c.seq < 0) sharedOnes.push(e);
      else {
        const l = bySeq.get(c.seq) ?? [];
        l.push(e);
        bySeq.set(c.seq, l);
      }
    }
  }
  if (!bySeq.size && sharedOnes.length) bySeq.set(0, []);
  if (!bySeq.size) return [];
  return [...bySeq.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([seq, own]) => ({
      seq,
      entries: [...(own.length || sharedOnes.length ? system : []), ...sharedOnes, ...own].sort(
        (a, b) => a.logical - b.logical,
      ),
    }));
}
