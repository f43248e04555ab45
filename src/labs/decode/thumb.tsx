/** Gallery drawing (120×64 viewBox): bytes per weight shrinking from f32 to int4, and three drafted tokens checked in one pass. */
export default function Thumb() {
  const bits = [32, 16, 8, 4];
  return (
    <>
      {bits.map((b, i) => (
        <rect key={b} x={8} y={6 + i * 13} width={b * 2.2} height={9} className="thumb-hbm-fill" />
      ))}
      {[0, 1, 2, 3].map((i) => (
        <rect
          key={i}
          x={88 + (i % 2) * 13}
          y={8 + Math.floor(i / 2) * 13}
          width={10}
          height={10}
          className={i === 3 ? 'thumb-idle' : 'thumb-compute-fill'}
        />
      ))}
      <rect x={86} y={36} width={27} height={20} className="thumb-cell" />
      <path d="M90 46 l5 5 l12 -12" className="thumb-roof" />
    </>
  );
}
