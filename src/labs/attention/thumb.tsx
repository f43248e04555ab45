/** Gallery drawing (120×64 viewBox, inside the shell's frame): a causal score matrix, one row block held on chip at a time. */
export default function Thumb() {
  return (
    <>
      {Array.from({ length: 6 }, (_, r) =>
        Array.from({ length: 6 }, (_, c) => (
          <rect
            key={`${r}-${c}`}
            x={30 + c * 10}
            y={4 + r * 9.5}
            width="9"
            height="8.5"
            className={c > r ? 'thumb-idle' : r === 3 ? 'thumb-sram-fill' : 'thumb-compute-fill'}
          />
        )),
      )}
    </>
  );
}
