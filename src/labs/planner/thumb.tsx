/** Gallery drawing (120×64 viewBox, inside the shell's frame): a stack of GPUs and one memory bar split into weights and KV cache. */
export default function Thumb() {
  return (
    <>
      <rect x="12" y="10" width="22" height="12" className="thumb-compute" />
      <rect x="12" y="26" width="22" height="12" className="thumb-compute" />
      <rect x="12" y="42" width="22" height="12" className="thumb-compute" />
      <rect x="46" y="26" width="36" height="12" className="thumb-hbm" />
      <rect x="82" y="26" width="26" height="12" className="thumb-roof" />
    </>
  );
}
