/** Gallery drawing (120×64 viewBox, inside the shell's frame): a training loss falling, the held-out loss following it. */
export default function Thumb() {
  return (
    <>
      <path d="M10 10 C 30 14, 36 40, 60 46 S 100 52, 112 53" fill="none" stroke="var(--compute)" strokeWidth="2" />
      <path
        d="M10 14 C 32 20, 40 44, 62 49 S 100 55, 112 57"
        fill="none"
        stroke="var(--hbm)"
        strokeWidth="1.5"
        strokeDasharray="3 2"
      />
    </>
  );
}
