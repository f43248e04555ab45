import { key } from '../../charts/Legend';
import { HBar } from '../../charts/marks';
import { Plot } from '../../charts/Plot';
import { fmtBytes } from '../../ui/format';
import type { CaseReport } from './check/report';

interface Bar {
  label: string;
  read: number;
  written: number;
  /** Only the user's kernel is split into read and written; the others are totals. */
  split: boolean;
}

const LEGEND = [
  key.box('read', 'var(--hbm)'),
  key.box('written', 'var(--hbm-soft)'),
  key.dash('starter total', 'var(--hbm)'),
];

/** Global-memory bytes of the user's kernel against the cost-model target and the naive starter, on one case. */
export function TrafficChart({ c }: { c: CaseReport }) {
  const bars: Bar[] = [
    { label: 'Your kernel', read: c.bytesRead, written: c.bytesWritten, split: true },
    { label: 'Target', read: c.targetRead, written: c.targetWritten, split: true },
  ];
  if (c.naiveBytes !== null) bars.push({ label: 'Starter (naive)', read: c.naiveBytes, written: 0, split: false });
  const top = Math.max(1, ...bars.map((b) => b.read + b.written));
  return (
    <Plot
      className="wb-traffic"
      ariaLabel="Bytes moved to and from global memory; the results table lists the same numbers"
      height={bars.length * 30}
      interactive
      legend={c.naiveBytes !== null ? LEGEND : LEGEND.slice(0, 2)}
      x={{
        type: 'linear',
        domain: [0, top],
        nice: true,
        label: 'bytes moved to and from global memory',
        format: (v) => fmtBytes(Number(v)),
        grid: true,
      }}
      y={{ type: 'band', domain: bars.map((b) => b.label), padding: 0.25 }}
    >
      {(ctx) =>
        bars.map((b) => {
          const total = b.read + b.written;
          const faded = b.label === 'Target';
          return b.split ? (
            <g key={b.label}>
              <HBar
                ctx={ctx}
                row={b.label}
                to={b.read}
                fill="var(--hbm)"
                opacity={faded ? 0.45 : 1}
                tip={[b.label, `${fmtBytes(b.read)} read`]}
              />
              <HBar
                ctx={ctx}
                row={b.label}
                from={b.read}
                to={total}
                label={fmtBytes(total)}
                fill="var(--hbm-soft)"
                stroke="var(--hbm)"
                opacity={faded ? 0.6 : 1}
                tip={[b.label, `${fmtBytes(b.written)} written`]}
              />
            </g>
          ) : (
            <HBar
              key={b.label}
              ctx={ctx}
              row={b.label}
              to={total}
              label={fmtBytes(total)}
              fill="none"
              stroke="var(--hbm)"
              strokeDasharray="4 3"
              tip={[b.label, fmtBytes(total)]}
            />
          );
        })
      }
    </Plot>
  );
}
