/**
 * Gallery drawing (120×64 viewBox, inside the shell's frame): a pipeline schedule's staircase of
 * forward and backward boxes with its idle bubble, and a memory bar against a dashed capacity line.
 */
export default function Thumb() {
  return (
    <>
      {[0, 1, 2].map((s) => (
        <g key={s}>
          <rect x={10 + s * 8} y={6 + s * 10} width="30" height="8" className="thumb-compute-fill" />
          <rect x={56} y={6 + s * 10} width={46 - s * 8} height="8" className="thumb-compute" />
          <rect x={10} y={6 + s * 10} width={s * 8} height="8" className="thumb-idle" />
        </g>
      ))}
      <rect x="10" y="44" width="26" height="12" className="thumb-hbm-fill" />
      <rect x="36" y="44" width="30" height="12" className="thumb-sram-fill" />
      <rect x="66" y="44" width="24" height="12" className="thumb-compute-fill" />
      <line x1="98" x2="98" y1="40" y2="60" className="thumb-dash" />
    </>
  );
}
