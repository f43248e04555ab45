import { HBar } from '../../charts/marks';
import { Plot } from '../../charts/Plot';
import type { FileVariant } from '../../data/measure';
import { fmtBytes, fmtMs } from '../../ui/format';
import { VARIANT_CLASS } from './labels';

/** File size of each variant, linear from 0 so ratios read true; the ratio to CSV at each bar's end. */
export function SizeBars({ variants }: { variants: FileVariant[] }) {
  const csv = variants.find((v) => v.format === 'csv');
  const ratio = (v: FileVariant) => (csv && v !== csv ? `${(v.bytes / csv.bytes).toFixed(2)}× CSV` : '');
  return (
    <Plot
      className="df-sizes"
      ariaLabel="File size of each format"
      height={variants.length * 24}
      interactive
      x={{
        type: 'linear',
        domain: [0, Math.max(...variants.map((v) => v.bytes))],
        nice: true,
        label: 'size on disk',
        format: (v) => fmtBytes(Number(v)),
        grid: true,
      }}
      y={{ type: 'band', domain: variants.map((v) => v.label), padding: 0.2, inline: true }}
      table={{
        caption: 'file size and write time of each format',
        columns: ['file', 'size', 'vs CSV', 'written in'],
        rows: variants.map((v) => [v.label, fmtBytes(v.bytes), ratio(v) || '—', fmtMs(v.writeMs)]),
      }}
      fallbackWidth={720}
    >
      {(ctx) =>
        variants.map((v) => {
          const text = `${fmtBytes(v.bytes)}${ratio(v) ? ` · ${ratio(v)}` : ''}`;
          return (
            <HBar
              key={v.id}
              ctx={ctx}
              row={v.label}
              to={v.bytes}
              label={text}
              className={VARIANT_CLASS[v.id] ?? 'df-csv'}
              tip={[v.label, text, `written in ${fmtMs(v.writeMs)}`]}
            />
          );
        })
      }
    </Plot>
  );
}
