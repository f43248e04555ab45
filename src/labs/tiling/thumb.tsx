/** Gallery drawing (120×64 viewBox, inside the shell's frame): output tiles, one row staged in workgroup memory (SRAM), two read from DRAM. */
export default function Thumb() {
  return (
    <>
      {[0, 1, 2, 3].map((r) =>
        [0, 1, 2, 3, 4, 5].map((c) => (
          <rect
            key={`${r}-${c}`}
            x={14 + c * 16}
            y={6 + r * 13}
            width="14"
            height="11"
            className={r === 1 && c < 3 ? 'thumb-sram-fill' : c === 4 && r < 2 ? 'thumb-hbm-fill' : 'thumb-cell'}
          />
        )),
      )}
    </>
  );
}
