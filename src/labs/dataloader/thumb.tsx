/** Gallery drawing (120×64 viewBox, inside the shell's frame): worker lanes filling batches while the GPU lane waits in the gaps. */
export default function Thumb() {
  return (
    <>
      {[0, 1, 2].map((w) => (
        <g key={w}>
          <rect x={12 + w * 8} y={8 + w * 12} width="40" height="8" className="thumb-compute-fill" />
          <rect x={58 + w * 6} y={8 + w * 12} width="28" height="8" className="thumb-compute-fill" />
        </g>
      ))}
      <rect x="12" y="48" width="20" height="8" className="thumb-idle" />
      <rect x="34" y="48" width="30" height="8" className="thumb-hbm-fill" />
      <rect x="66" y="48" width="12" height="8" className="thumb-idle" />
      <rect x="80" y="48" width="28" height="8" className="thumb-hbm-fill" />
    </>
  );
}
