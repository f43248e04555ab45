import { useMemo, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import type { MatmulDims, TileShape } from '../../kernels/matmul/types';
import { useWidth } from '../../charts/useWidth';
import { at, boundaries, gridLayout, LONGEST, longestFor, type Box } from './layout';

interface Props {
  dims: MatmulDims;
  shape: TileShape;
  /** The output tile whose K loop is shown, as tile row and column. */
  tile: { tm: number; tn: number };
  /** Current K step: tiles before it have been read and dropped, this one is in workgroup memory. */
  step: number;
  onSelect(tile: { tm: number; tn: number }): void;
}

const MIN_PX = 2;
/** On a phone the matrices stay short enough for the picture and a control to share the first screen. */
const LONGEST_PHONE = 115;

/** A tile's rectangle inside a matrix box: rows [r0, r1) and columns [c0, c1) of a rows×cols matrix. */
function sub(box: Box, rows: number, cols: number, r0: number, r1: number, c0: number, c1: number): Box {
  const x = box.x + at(c0, cols, box.w);
  const y = box.y + at(r0, rows, box.h);
  return {
    x,
    y,
    w: Math.max(MIN_PX, at(c1, cols, box.w) - at(c0, cols, box.w)),
    h: Math.max(MIN_PX, at(r1, rows, box.h) - at(r0, rows, box.h)),
  };
}

function Rect({ b, className, ...rest }: { b: Box; className: string } & React.SVGProps<SVGRectElement>) {
  return <rect x={b.x} y={b.y} width={b.w} height={b.h} className={className} {...rest} />;
}

function GridLines({
  box,
  rows,
  cols,
  tileRows,
  tileCols,
}: {
  box: Box;
  rows: number;
  cols: number;
  tileRows: number;
  tileCols: number;
}) {
  return (
    <g className="tg-lines">
      {boundaries(rows, tileRows).map((r) => (
        <line
          key={`r${r}`}
          x1={box.x}
          x2={box.x + box.w}
          y1={box.y + at(r, rows, box.h)}
          y2={box.y + at(r, rows, box.h)}
        />
      ))}
      {boundaries(cols, tileCols).map((c) => (
        <line
          key={`c${c}`}
          y1={box.y}
          y2={box.y + box.h}
          x1={box.x + at(c, cols, box.w)}
          x2={box.x + at(c, cols, box.w)}
        />
      ))}
    </g>
  );
}

/**
 * A, B and C drawn as tile grids. For the chosen output tile, the A tiles along its row band and
 * the B tiles down its column band are coloured by K step: already read (global traffic, orange),
 * in workgroup memory now (teal), still to come (outlined).
 */
export function TileGrid({ dims, shape, tile, step, onSelect }: Props) {
  // Laid out for the measured width and drawn 1:1 (no viewBox scaling), so the labels keep their 12 px.
  const [wrapRef, width] = useWidth<HTMLDivElement>(2 * LONGEST + 64, 200);
  // The phone cap follows the screen (the phone layout's breakpoint), not the frame: a desktop column may be narrow too.
  const phone = typeof window !== 'undefined' && window.innerWidth <= 720;
  const longest = Math.min(longestFor(width), phone ? LONGEST_PHONE : LONGEST);
  const L = useMemo(() => gridLayout(dims, shape, longest), [dims, shape, longest]);
  const svgRef = useRef<SVGSVGElement>(null);
  const { M, N, K } = dims;
  const { tileM, tileN, tileK } = shape;
  const r0 = tile.tm * tileM;
  const r1 = Math.min(M, r0 + tileM);
  const c0 = tile.tn * tileN;
  const c1 = Math.min(N, c0 + tileN);
  const k0 = step * tileK;
  const k1 = Math.min(K, k0 + tileK);

  const select = (tm: number, tn: number) =>
    onSelect({ tm: Math.max(0, Math.min(L.tilesM - 1, tm)), tn: Math.max(0, Math.min(L.tilesN - 1, tn)) });
  const onClick = (e: MouseEvent<SVGRectElement>) => {
    const svg = svgRef.current;
    const ctm = svg?.getScreenCTM();
    if (!svg || !ctm) return;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
    const col = ((p.x - L.c.x) / L.c.w) * N;
    const row = ((p.y - L.c.y) / L.c.h) * M;
    select(Math.floor(row / tileM), Math.floor(col / tileN));
  };
  const onKey = (e: KeyboardEvent<SVGGElement>) => {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const m = moves[e.key];
    if (!m) return;
    e.preventDefault();
    select(tile.tm + m[0], tile.tn + m[1]);
  };

  return (
    <div ref={wrapRef} className="tile-grid-wrap">
      <svg
        ref={svgRef}
        className="chart tile-grid"
        width={L.width}
        height={L.height}
        viewBox={`0 0 ${L.width} ${L.height}`}
        role="img"
        aria-label={`Matrices as tiles: output tile row ${tile.tm + 1}, column ${tile.tn + 1}, K step ${step + 1} of ${L.stepsK}`}
      >
        {/* A: M×K, left of C */}
        <Rect b={L.a} className="tg-matrix" />
        <Rect b={sub(L.a, M, K, r0, r1, 0, K)} className="tg-band" />
        {Array.from({ length: step }, (_, s) => (
          <Rect key={s} b={sub(L.a, M, K, r0, r1, s * tileK, (s + 1) * tileK)} className="tg-read" />
        ))}
        <Rect b={sub(L.a, M, K, r0, r1, k0, k1)} className="tg-sram" />
        <GridLines box={L.a} rows={M} cols={K} tileRows={tileM} tileCols={tileK} />
        <text x={L.a.x + L.a.w / 2} y={L.a.y + L.a.h + 16} textAnchor="middle" className="tg-label">
          A ({M}×{K})
        </text>

        {/* B: K×N, above C */}
        <Rect b={L.b} className="tg-matrix" />
        <Rect b={sub(L.b, K, N, 0, K, c0, c1)} className="tg-band" />
        {Array.from({ length: step }, (_, s) => (
          <Rect key={s} b={sub(L.b, K, N, s * tileK, (s + 1) * tileK, c0, c1)} className="tg-read" />
        ))}
        <Rect b={sub(L.b, K, N, k0, k1, c0, c1)} className="tg-sram" />
        <GridLines box={L.b} rows={K} cols={N} tileRows={tileK} tileCols={tileN} />
        <text x={L.b.x + L.b.w / 2} y={L.b.y - 6} textAnchor="middle" className="tg-label">
          B ({K}×{N})
        </text>

        {/* C: M×N; click or use the arrow keys to choose the output tile */}
        <g
          tabIndex={0}
          role="group"
          aria-label="Output tiles of C: arrow keys or a click choose the tile whose K loop is shown"
          onKeyDown={onKey}
          className="tg-c"
        >
          <Rect b={L.c} className="tg-matrix tg-clickable" onClick={onClick} />
          <GridLines box={L.c} rows={M} cols={N} tileRows={tileM} tileCols={tileN} />
          <Rect
            b={sub(L.c, M, N, r0, r1, c0, c1)}
            className="tg-out"
            style={{ fillOpacity: 0.25 + (0.65 * (step + 1)) / L.stepsK }}
            pointerEvents="none"
          />
        </g>
        <text x={L.c.x + L.c.w / 2} y={L.c.y + L.c.h + 16} textAnchor="middle" className="tg-label">
          C = A·B ({M}×{N})
        </text>
        {/* The step, in the corner left of B when there is room for it (the panel beside the grid shows it too). */}
        {L.a.w >= 110 ? (
          <>
            <text x={L.a.x} y={L.b.y + 12} className="tg-step">
              K step {step + 1} of {L.stepsK}
            </text>
            <text x={L.a.x} y={L.b.y + 30} className="tg-step muted">
              k = {k0}…{k1 - 1}
            </text>
          </>
        ) : null}
      </svg>
    </div>
  );
}
