import type { GenerationFrame } from '../../model/serve/session';

const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** The KV pool after one scheduler step: a cell per physical block, coloured by the request that owns it, filled in proportion to its used slots. */
export function BlockMap({ frame, blockSize }: { frame: GenerationFrame; blockSize: number }) {
  const cols = Math.min(16, frame.owner.length);
  const rows = Math.ceil(frame.owner.length / cols);
  const w = 28;
  const h = 22;
  return (
    <svg
      className="serve-map"
      viewBox={`0 0 ${cols * w + 2} ${rows * h + 2}`}
      role="img"
      aria-label={`KV block map at step ${frame.step}: ${frame.owner.filter((o) => o >= 0).length} of ${frame.owner.length} blocks in use`}
    >
      {frame.owner.map((owner, b) => {
        const x = 1 + (b % cols) * w;
        const y = 1 + Math.floor(b / cols) * h;
        const color = owner >= 0 ? PALETTE[owner % PALETTE.length] : 'none';
        return (
          <g key={b}>
            <rect x={x} y={y} width={w - 3} height={h - 3} fill="none" stroke="currentColor" strokeOpacity={0.4} />
            {owner >= 0 && (
              <rect
                x={x}
                y={y}
                width={((w - 3) * frame.fill[b]) / blockSize}
                height={h - 3}
                fill={color}
                opacity={0.85}
              />
            )}
            {owner >= 0 && (
              <text x={x + 3} y={y + 13} fontSize={9} fill="currentColor">
                {`r${owner}`}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
