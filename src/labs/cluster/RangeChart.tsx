import { key } from '../../charts/Legend';
import { Plot } from '../../charts/Plot';
import { FP16, formatRange } from '../../kernels/precision';
import { BINS, HI, LO, type Hist } from './precisionHist';

const LEGEND = [
  key.box('gradients (count per bin)', 'var(--compute)'),
  key.box('rounds to 0 in fp16', undefined, 'prec-zone-zero'),
  key.box('subnormal', undefined, 'prec-zone-sub'),
  key.box('overflows to ∞', undefined, 'prec-zone-inf'),
];

/** Histogram of |g·S| on a log axis over fp16's zones: what rounds to zero, turns subnormal or overflows. */
export function RangeChart({ hist }: { hist: Hist }) {
  const { minSubnormal, minNormal, max } = formatRange(FP16);
  const peak = Math.max(1, ...hist.counts);
  // The 0 / subnormal boundary is half the smallest subnormal: values below it round to zero.
  const zones = [
    { from: LO, to: Math.log10(minSubnormal / 2), cls: 'prec-zone-zero' },
    { from: Math.log10(minSubnormal / 2), to: Math.log10(minNormal), cls: 'prec-zone-sub' },
    { from: Math.log10(max), to: HI, cls: 'prec-zone-inf' },
  ];
  const step = (HI - LO) / BINS;
  return (
    <Plot
      className="cluster-chart"
      ariaLabel="Histogram of scaled gradient magnitudes against fp16 limits"
      height={130}
      legend={LEGEND}
      x={{
        type: 'log',
        domain: [10 ** LO, 10 ** HI],
        label: '|g·S|, log scale',
        format: (v) => `1e${Math.round(Math.log10(Number(v)))}`,
      }}
      y={{ type: 'linear', domain: [0, peak], hide: true }}
      fallbackWidth={640}
    >
      {(ctx) => (
        <>
          {zones.map((z) => (
            <rect
              key={z.cls}
              x={ctx.x(10 ** z.from)}
              width={Math.max(0, ctx.x(10 ** z.to) - ctx.x(10 ** z.from))}
              y={ctx.top}
              height={ctx.bottom - ctx.top}
              className={z.cls}
            />
          ))}
          {hist.counts.map((c, i) => {
            if (!c) return null;
            const x0 = ctx.x(10 ** (LO + i * step));
            return (
              <rect
                key={i}
                x={x0}
                width={Math.max(1, ctx.x(10 ** (LO + (i + 1) * step)) - x0 - 0.5)}
                y={ctx.y(c)}
                height={ctx.bottom - ctx.y(c)}
                className="prec-bar"
              />
            );
          })}
        </>
      )}
    </Plot>
  );
}
