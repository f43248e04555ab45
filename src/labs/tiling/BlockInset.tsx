import type { TileShape } from '../../kernels/matmul/types';

/**
 * Inside one output tile: which outputs invocation (0, 0) keeps in registers. The register-blocked
 * kernel strides them by the invocation grid, so neighbouring invocations write neighbouring words;
 * the vec4 kernel strides runs of four columns (one vec4 each) the same way.
 */
export function BlockInset({ shape, vec4 = false }: { shape: TileShape; vec4?: boolean }) {
  const { tileM, tileN, blockM, blockN } = shape;
  const tx = tileN / blockN;
  const ty = tileM / blockM;
  const size = 150;
  const cell = size / Math.max(tileM, tileN);
  if (cell < 1.2)
    return (
      <p className="muted">
        Tile too fine to draw: invocation (0, 0) owns rows 0, {ty}, … and columns{' '}
        {vec4 ? `0–3, ${tx * 4}–${tx * 4 + 3}` : `0, ${tx}`}, … of it.
      </p>
    );
  const mine: [number, number][] = [];
  for (let i = 0; i < blockM; i++)
    for (let j = 0; j < blockN; j++) mine.push([i * ty, vec4 ? Math.floor(j / 4) * tx * 4 + (j % 4) : j * tx]);
  return (
    <svg
      className="chart block-inset"
      viewBox={`0 0 ${tileN * cell + 2} ${tileM * cell + 2}`}
      width={tileN * cell + 2}
      role="img"
      aria-label={`Outputs of invocation 0 within a ${tileM}×${tileN} tile`}
    >
      <rect x={1} y={1} width={tileN * cell} height={tileM * cell} className="tg-out" fillOpacity={0.2} />
      {mine.map(([r, c]) => (
        <rect
          key={`${r}-${c}`}
          x={1 + c * cell}
          y={1 + r * cell}
          width={Math.max(cell, 1.5)}
          height={Math.max(cell, 1.5)}
          className="tg-mine"
        />
      ))}
    </svg>
  );
}
