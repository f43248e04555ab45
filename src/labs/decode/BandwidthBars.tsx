import { key } from '../../charts/Legend';
import { HBar, RuleX } from '../../charts/marks';
import { Plot } from '../../charts/Plot';
import { fmtGBps, fmtMs } from '../../ui/format';
import { SHORT_LABELS } from '../../kernels/quant';
import type { DecodeRow } from './run';

/**
 * One bar per weight format: effective bandwidth (W, x and y moved once, over the measured time),
 * against this device's measured copy roof. A memory-bound GEMV at the roof would take time
 * proportional to its bytes, so the int4 bar should stay near the roof while its time falls.
 */
export function BandwidthBars({ rows, copyGBps }: { rows: DecodeRow[]; copyGBps: number | null }) {
  const max = Math.max(copyGBps ?? 0, ...rows.map((r) => r.effectiveGBps)) * 1.08 || 1;
  const name = (r: DecodeRow) => `${SHORT_LABELS[r.variant]} · ${r.bitsPerWeight.toFixed(2)} bits`;
  return (
    <Plot
      className="decode-bars"
      ariaLabel="Effective bandwidth of each weight format against the measured copy roof"
      height={rows.length * 28}
      interactive
      pad={{ right: 50 }}
      legend={copyGBps ? [key.dash('copy roof (measured)', 'var(--hbm)')] : []}
      x={{
        type: 'linear',
        domain: [0, max],
        nice: true,
        label: 'effective bandwidth (bar); measured time at its end',
        format: (v) => fmtGBps(Number(v)),
        grid: true,
      }}
      y={{ type: 'band', domain: rows.map(name), padding: 0.25, inline: true }}
    >
      {(ctx) => (
        <>
          {rows.map((r) => (
            <HBar
              key={r.variant}
              ctx={ctx}
              row={name(r)}
              to={r.effectiveGBps}
              label={fmtMs(r.medianMs)}
              fill="var(--hbm)"
              rx={2}
              tip={[r.label, `${fmtGBps(r.effectiveGBps)} effective`, fmtMs(r.medianMs)]}
            />
          ))}
          {copyGBps ? <RuleX ctx={ctx} at={copyGBps} stroke="var(--hbm)" dash="5 3" /> : null}
        </>
      )}
    </Plot>
  );
}
