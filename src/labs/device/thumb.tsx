/** Gallery drawing (120×64 viewBox, inside the shell's frame): a roofline with the ridge point marked: the two roofs this lab measures. */
export default function Thumb() {
  return (
    <>
      <path d="M12 56 L58 16 L110 16" className="thumb-roof" />
      <circle cx="30" cy="41" r="4" className="thumb-hbm" />
      <circle cx="50" cy="24" r="4" className="thumb-compute" />
      <path d="M58 16 V56" className="thumb-dash" />
    </>
  );
}
