/** Gallery drawing (120×64 viewBox, inside the shell's frame): lines of a kernel, one highlighted. */
export default function Thumb() {
  return (
    <>
      {[0, 1, 2, 3].map((l) => (
        <rect
          key={l}
          x={14 + (l % 2) * 10}
          y={10 + l * 11}
          width={[70, 50, 80, 40][l]}
          height="6"
          rx="2"
          className={l === 2 ? 'thumb-sram-fill' : 'thumb-cell'}
        />
      ))}
    </>
  );
}
