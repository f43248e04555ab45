import { scaleLinear } from 'd3';
import { useMemo } from 'react';
import type { RowTrace } from '../../kernels/attention';

interface Props {
  traces: RowTrace[];
  row: number;
  onRow(row: number): void;
  /** Blocks of this row's online softmax done at the schedule's current step. */
  stepsDone: number;
  br: number;
}

const W = 360;
const H = 120;

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
    const width = trace.probs ? 1 : trace.steps.length ? trace.steps[0].k1 - trace.steps[0].k0 : 1;
    const x = scaleLinear().domain([0, values.length]).range([0, W]);
    const y = scaleLinear()
      .domain([0, Math.max(...values, 1e-12)])
      .range([H, 8]);
    return { values, x, y, perKey: Boolean(trace.probs), width };
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
                  <td className={s.mPrev !== null && s.alpha < 1 ? 'sram' : ''}>{s.mPrev === null ? '— (first block)' : f(s.alpha)}</td>
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
      <svg
        className="chart att-softmax-chart"
        width={W + 8}
        viewBox={`-4 -4 ${W + 8} ${H + 24}`}
        role="img"
        aria-label={`Final softmax of row ${trace.row}${bars.perKey ? ' per key' : ' per key block'}`}
      >
        {bars.values.map((v, i) => (
          <rect
            key={i}
            x={bars.x(i)}
            y={bars.y(v)}
            width={Math.max(0.5, bars.x(1) - bars.x(0) - (bars.values.length < 120 ? 0.5 : 0))}
            height={H - bars.y(v)}
            fill={i < seenUnits ? 'var(--sram)' : 'var(--idle)'}
            opacity={i < seenUnits ? 1 : 0.45}
          />
        ))}
        <line x1={0} x2={W} y1={H} y2={H} stroke="var(--border)" />
        <text x={0} y={H + 16} className="att-svg-note">
          final softmax p{bars.perKey ? '_j per key j' : ' mass per key block'} (teal: keys this row has seen so far)
        </text>
      </svg>
    </div>
  );
}
