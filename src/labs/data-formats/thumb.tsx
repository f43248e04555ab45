/** Gallery drawing (120×64 viewBox): a row-striped CSV block beside a column-striped Parquet block, one column lit. */
export default function Thumb() {
  return (
    <>
      {[0, 1, 2, 3, 4].map((r) => (
        <rect
          key={`r${r}`}
          x="10"
          y={10 + r * 9}
          width="40"
          height="7"
          className="thumb-hbm"
          opacity={0.35 + r * 0.1}
        />
      ))}
      {[0, 1, 2, 3, 4].map((c) => (
        <rect
          key={`c${c}`}
          x={66 + c * 9}
          y="10"
          width="7"
          height="43"
          className={c === 1 ? 'thumb-compute' : 'thumb-sram'}
          opacity={c === 1 ? 1 : 0.35}
        />
      ))}
    </>
  );
}
