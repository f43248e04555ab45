import { key } from '../../charts/Legend';
import { LineMark, RuleY } from '../../charts/marks';
import { Plot } from '../../charts/Plot';
import { fmtRatio } from '../../ui/format';
import type { BatchPoint } from '../../sim/speculative';

interface Props {
  /** Speedup with v measured from this device's GEMM times. */
  measured: BatchPoint[];
  /** Leviathan et al.'s formula (v = 1), the same at every batch. */
  paper: number;
  /** Largest row count actually measured; points beyond it are extrapolated (drawn hollow). */
  maxMeasuredRows: number;
}

/** Speculative decoding's speedup against batch size: the paper's v = 1 line and the measured one. */
export function SpecChart({ measured, paper, maxMeasuredRows }: Props) {
  const bs = measured.map((p) => p.batch);
  const top = Math.max(paper, ...measured.map((p) => p.speedup), 1.2) * 1.1;
  const legend = [
    key.line('measured v', 'var(--hbm)'),
    key.ring('extrapolated', 'var(--hbm)'),
    key.dash(`paper, v = 1: ${fmtRatio(paper)}`, 'var(--compute)'),
    key.line('no gain (1×)', 'var(--fg-2)'),
  ];
  return (
    <Plot
      className="decode-spec"
      ariaLabel="Speculative decoding speedup against batch size"
      height={170}
      interactive
      legend={legend}
      x={{
        type: 'log',
        base: 2,
        domain: [bs[0] ?? 1, bs[bs.length - 1] ?? 64],
        ticks: bs,
        label: 'batch size b (log₂ scale)',
      }}
      y={{ type: 'linear', domain: [0, top], nice: true, label: 'speedup', format: (v) => `${v}×`, grid: true }}
    >
      {(ctx) => (
        <>
          <RuleY ctx={ctx} at={1} stroke="var(--fg-2)" />
          <RuleY ctx={ctx} at={paper} stroke="var(--compute)" dash="5 4" />
          <LineMark ctx={ctx} pts={measured.map((p) => [p.batch, p.speedup])} stroke="var(--hbm)" strokeWidth={2.5} />
          {measured.map((p) => {
            const at: [number, number] = [ctx.x(p.batch), ctx.y(p.speedup)];
            const extra = p.rows > maxMeasuredRows;
            return (
              <circle
                key={p.batch}
                cx={at[0]}
                cy={at[1]}
                r={3.5}
                fill={extra ? 'var(--bg)' : 'var(--hbm)'}
                stroke="var(--hbm)"
                {...ctx.tip(
                  [
                    `b = ${p.batch}: speedup ${fmtRatio(p.speedup)}`,
                    `verification has ${p.rows} rows, v = ${p.v.toFixed(2)}${extra ? ' (extrapolated)' : ''}`,
                  ],
                  at,
                )}
              />
            );
          })}
        </>
      )}
    </Plot>
  );
}
