import { fmtMs, fmtRatio } from '../../ui/format';
import type { FeatureRow } from './run';

function fmtErr(e: number): string {
  return e === 0 ? '0' : e.toExponential(1);
}

/**
 * The GEMV builds that need an optional WebGPU feature (subgroups, shader-f16): each measured next
 * to its standard twin where the adapter has the feature, and otherwise listed with the reason it
 * is not offered, so a variant never disappears without a word. Results recorded before these
 * builds existed have no `features`: nothing is shown for them.
 */
export function FeatureBuilds({ rows, M, software }: { rows: FeatureRow[] | undefined; M: number; software: boolean }) {
  if (!rows?.length) return null;
  return (
    <div className="decode-note decode-features">
      <strong>Optional GPU features</strong> (same weights and bytes as the standard kernel; only the reduction or the
      arithmetic differs):
      <ul>
        {rows.map((r) =>
          r.offered ? (
            <li key={r.build}>
              {r.label}, M = {M}: {fmtMs(r.medianMs)}
              {r.twinMs !== null
                ? ` vs ${fmtMs(r.twinMs)} for the ${r.weights} kernel (speedup ${fmtRatio(r.twinMs / r.medianMs)})`
                : ''}
              ; kernel error {fmtErr(r.kernelError)} (tolerance {fmtErr(r.tolerance)}), measured on this device
              {software ? ' (a software adapter: its times are a CPU’s, not a GPU figure)' : ''}.
            </li>
          ) : (
            <li key={r.build} className="muted">
              {r.label}: {r.reason}.
            </li>
          ),
        )}
      </ul>
    </div>
  );
}
