/** Gallery drawing (120×64 viewBox): a KV block map filling, three requests in three colours. */
export default function Thumb() {
  const colors = ['var(--compute)', 'var(--hbm)', 'var(--accent, #888)'];
  return (
    <>
      {Array.from({ length: 24 }, (_, i) => (
        <rect
          key={i}
          x={10 + (i % 8) * 13}
          y={10 + Math.floor(i / 8) * 15}
          width={11}
          height={12}
          fill={i < 17 ? colors[i % 3] : 'none'}
          stroke="currentColor"
          strokeWidth="0.5"
          opacity={i < 17 ? 0.8 : 0.4}
        />
      ))}
    </>
  );
}
