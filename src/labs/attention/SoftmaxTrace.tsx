import { key } from '../../charts/Legend';
import { useMemo } from 'react';
import { Plot } from '../../charts/Plot';
import type { RowTrace } from '../../kernels/attention';

interface Props {
  traces: RowTrace[];
  row: number;
  onRow(row: number): void;
  /** Blocks of this row's online softmax done at the schedule's current step. */
  stepsDone: number;
  br: number;
}

function f(x: number | null, digits = 4): string {
  if (x === null) return '−∞';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toFixed(digits);
}

/** One row's running max, running sum and rescaling, block by block, beside its final softmax. */
export function SoftmaxTrace({ traces, row, onRow, stepsDone, br }: Props) {
  const trace = traces.find((t) => t.row === row) ?? traces[0];
  const done = Math.min(stepsDone, trace.steps.length);
  const last = done > 0 ? trace.steps[done - 1] : null;
  const first = Math.max(0, done - 6);
  const shown = trace.steps.slice(first, Math.min(trace.steps.length, done + 2));

  const bars = useMemo(() => {
    const values = trace.probs ?? trace.blockMass;
    return { values, perKey: Boolean(trace.probs) };
  }, [trace]);
  const seenKeys = last ? last.k1 : 0;
  const seenUnits = bars.perKey ? seenKeys : done;

  return (
    <div className="att-trace">
      <div className="att-trace-head">
        <label>
          Query row{' '}
          <select value={trace.row} onChange={(e) => onRow(Number(e.target.value))}>
            {traces.map((t) => (
              <option key={t.row} value={t.row}>
                {t.row} (query block {Math.floor(t.row / br) + 1})
              </option>
            ))}
          </select>
        </label>
        <span className="muted att-small">Head 0, computed on the CPU in float64 from this run’s Q and K.</span>
      </div>
      {/* Scrolls inside its own box on a phone, not the whole picture. */}
      <div className="results-scroll">
        <table className="results att-trace-table">
          <thead>
            <tr>
              <th scope="col">Key block</th>
              <th scope="col">Keys</th>
              <th scope="col">Block max</th>
              <th scope="col">Running max m</th>
              <th scope="col">Rescale e^(m_old−m_new)</th>
              <th scope="col">Block Σ e^(s−m)</th>
              <th scope="col">Running sum l</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((s, idx) => {
              const i = first + idx;
              const state = i < done - 1 ? 'att-past' : i === done - 1 ? 'att-current' : 'att-future';
              return (
                <tr key={s.kb} className={state}>
                  <td>{s.kb + 1}</td>
                  <td>
                    {s.k0}–{s.k1 - 1}
                  </td>
                  <td>{f(s.blockMax)}</td>
                  <td>
                    {s.mPrev === null ? '' : `${f(s.mPrev)} → `}
                    <strong>{f(s.mNew)}</strong>
                  </td>
                  <td className={s.mPrev !== null && s.alpha < 1 ? 'sram' : ''}>
                    {s.mPrev === null ? '— (first block)' : f(s.alpha)}
                  </td>
                  <td>{f(s.blockSum)}</td>
                  <td>
                    <strong>{f(s.l)}</strong>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="att-small" data-testid="trace-status">
        {done === 0
          ? `Row ${trace.row} has not started: its query block is not the one in workgroup memory yet.`
          : done < trace.steps.length
            ? `After ${done} of ${trace.steps.length} blocks: m = ${f(last!.mNew)}, l = ${f(last!.l)}. A later block with a larger score will rescale both.`
            : `Done: m = ${f(last!.mNew)}, l = ${f(last!.l)}. The two-pass softmax of the whole row has max ${f(trace.rowMax)} and sum ${f(trace.rowSum)}: the same numbers, without ever holding the row.`}
      </p>
      <Plot
        className="att-softmax-chart"
        ariaLabel={`Final softmax of row ${trace.row}${bars.perKey ? ' per key' : ' per key block'}`}
        height={110}
        legend={[key.box('keys this row has seen so far', 'var(--sram)'), key.box('not reached yet', 'var(--idle)')]}
        x={{ type: 'linear', domain: [0, bars.values.length], label: bars.perKey ? 'key j' : 'key block' }}
        y={{
          type: 'linear',
          domain: [0, Math.max(...bars.values, 1e-12)],
          nice: true,
          label: bars.perKey ? 'final softmax p_j' : 'softmax mass',
          format: (v) => String(+Number(v).toPrecision(2)),
          grid: true,
        }}
        fallbackWidth={360}
      >
        {(ctx) => {
          const bw = ctx.x(1) - ctx.x(0);
          return bars.values.map((v, i) => (
            <rect
              key={i}
              x={ctx.x(i)}
              y={ctx.y(v)}
              width={Math.max(0.5, bw - (bars.values.length < 120 ? 0.5 : 0))}
              height={ctx.bottom - ctx.y(v)}
              fill={i < seenUnits ? 'var(--sram)' : 'var(--idle)'}
              opacity={i < seenUnits ? 1 : 0.45}
            />
          ));
        }}
      </Plot>
    </div>
  );
}
