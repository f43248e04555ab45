import { useApp } from '../store';
import { fmtGBps, fmtGflops } from '../ui/format';
import { navigate } from './router';

/** Header badge: adapter, measured roofs and the timing source; opens the device lab. */
export function DeviceBadge() {
  const status = useApp((s) => s.gpuStatus);
  const info = useApp((s) => s.gpuInfo);
  const ceilings = useApp((s) => s.ceilings);
  const err = useApp((s) => s.gpuError);
  let body;
  if (status === 'unavailable')
    body = (
      <span className="badge-missing">No WebGPU{err?.reason === 'no-adapter' ? ' adapter' : ''} · how to enable</span>
    );
  else if (!info) body = <span className="muted">Finding a GPU…</span>;
  else {
    body = (
      <>
        <span className="badge-adapter">{info.name}</span>
        {status === 'recovering' ? <span className="badge-warn">recovering device…</span> : null}
        <span data-testid="badge-bandwidth" className="badge-num hbm">
          {ceilings ? fmtGBps(ceilings.copy.gbPerS) : 'measuring…'}
        </span>
        <span className="badge-num compute">{ceilings ? fmtGflops(ceilings.fma.gflopPerS) : ''}</span>
        <span className="badge-timing">{info.timestampQuery ? 'timestamps' : 'wall clock'}</span>
      </>
    );
  }
  return (
    // Named by its visible text (WCAG 2.5.3, label in name), with a hidden lead-in saying where it goes.
    <button type="button" className="device-badge" onClick={() => navigate('?lab=device')}>
      <span className="sr-only">Device details: </span>
      {body}
    </button>
  );
}
