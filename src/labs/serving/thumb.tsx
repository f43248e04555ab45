/** Gallery drawing (120×64 viewBox): P99 latency flat with load, then the knee where it shoots up past the SLO line. */
export default function Thumb() {
  return (
    <>
      <line x1="10" y1="24" x2="112" y2="24" className="thumb-dash" />
      <path d="M10 52 L40 51 L62 49 L76 45 L86 34 L94 14 L100 6" className="thumb-roof" />
      <circle cx="84" cy="37" r="3.5" className="thumb-compute" />
      <rect x="10" y="56" width="90" height="3" className="thumb-idle" />
    </>
  );
}
