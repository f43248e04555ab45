/** Gallery drawing (120×64 viewBox, inside the shell's frame): a paged block map, blocks of five requests interleaved in one pool. */
export default function Thumb() {
  return (
    <>
      {Array.from({ length: 24 }, (_, k) => {
        const owner = [0, 0, 1, 2, 2, 2, 1, 3, 0, 3, 3, 1, 2, 0, 4, 4, 1, 0, 4, 2, 3, 4, 0, 1][k];
        return (
          <rect
            key={k}
            x={10 + (k % 8) * 13}
            y={8 + Math.floor(k / 8) * 17}
            width="11"
            height="14"
            rx="2"
            className={`thumb-owner-${owner}`}
          />
        );
      })}
    </>
  );
}
