import { useMemo } from 'react';
import { useWidth } from '../../charts/useWidth';
import { fmtBytes } from '../../ui/format';
import { FLASH_KEY_STEP } from '../../kernels/attention/shape';
import type { AttentionShape, FlashTile } from '../../kernels/attention';
import { stepAt, standardBytesAt, tiledBytesAt, type Schedule } from './schedule';

interface Props {
  shape: AttentionShape;
  tile: FlashTile;
  schedule: Schedule;
  step: number;
  workgroupBytes: number;
  workgroupLimit: number;
  standardRan: boolean;
}

/** The matrix's side in px on a wide screen; on a phone it follows the measured width (text stays 11 px or more). */
const SIZE_MAX = 360;
/** On a narrow screen the matrix stays short enough for the picture and a control to share the first screen. */
const SIZE_PHONE = 210;
/** Room around the matrix: the key axis title above, the query title at the left, the Q and K,V marks. */
const PAD = { left: 40, top: 30, right: 24, bottom: 22 };
/** Beyond this many tiles a side, neighbouring tiles share one drawn cell. */
const MAX_CELLS = 96;

type State = 'done' | 'current' | 'row' | 'todo' | 'skipped';

function rect(x: number, y: number, w: number, h: number): string {
  return `M${x.toFixed(2)} ${y.toFixed(2)}h${w.toFixed(2)}v${h.toFixed(2)}h${(-w).toFixed(2)}z`;
}

/**
 * The N×N score matrix as Br×Bc tiles, coloured by where the schedule is, with its legend. Drawn at
 * the width it is given (no viewBox scaling), so its labels keep their size on a phone.
 */
export function ScheduleGrid({ shape, tile, schedule, step }: Pick<Props, 'shape' | 'tile' | 'schedule' | 'step'>) {
  const [ref, width] = useWidth<HTMLDivElement>(SIZE_MAX + PAD.left + PAD.right, 200);
  // The phone cap follows the screen (the phone layout's breakpoint), not the frame, which is narrow on a desktop too.
  const phone = typeof window !== 'undefined' && window.innerWidth <= 720;
  const SIZE = Math.max(140, Math.min(phone ? SIZE_PHONE : SIZE_MAX, width - PAD.left - PAD.right));

  const { qb, kb } = stepAt(schedule, step);
  const n = shape.n;
  const px = SIZE / n;
  const group = Math.max(1, Math.ceil(Math.max(schedule.qBlocks, schedule.kBlocks) / MAX_CELLS));

  const paths = useMemo(() => {
    const out: Record<State, string[]> = { done: [], current: [], row: [], todo: [], skipped: [] };
    for (let q = 0; q < schedule.qBlocks; q += group) {
      for (let k = 0; k < schedule.kBlocks; k += group) {
        let state: State;
        if (k >= schedule.visited[q]) state = 'skipped';
        else if (q < qb || (q === qb && k < kb)) state = 'done';
        else if (q <= qb && qb < q + group && k <= kb && kb < k + group) state = 'current';
        else if (q <= qb && qb < q + group) state = 'row';
        else state = 'todo';
        const y = q * tile.br * px;
        const x = k * tile.bc * px;
        const h = Math.min(n - q * tile.br, group * tile.br) * px;
        const w = Math.min(n - k * tile.bc, group * tile.bc) * px;
        out[state].push(rect(x, y, w, h));
      }
    }
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.join('')])) as Record<State, string>;
  }, [schedule, group, qb, kb, tile, px, n]);

  const q0 = qb * tile.br;
  const q1 = Math.min(n, q0 + tile.br);
  const k0 = kb * tile.bc;
  const k1 = Math.min(n, k0 + tile.bc);
  const stroke = Math.max(0.3, Math.min(1, px * Math.min(tile.br, tile.bc) * group * 0.08));

  return (
    <div className="att-grid-wrap" ref={ref}>
      <svg
        className="chart att-grid"
        width={SIZE + PAD.left + PAD.right}
        height={SIZE + PAD.top + PAD.bottom}
        viewBox={`${-PAD.left} ${-PAD.top} ${SIZE + PAD.left + PAD.right} ${SIZE + PAD.top + PAD.bottom}`}
        role="img"
        aria-label={`Score matrix, ${schedule.qBlocks} by ${schedule.kBlocks} tiles; query block ${qb + 1}, key block ${kb + 1}`}
      >
        <text x={SIZE / 2} y={-14} textAnchor="middle" className="att-axis">
          keys j → (blocks of Bc = {tile.bc})
        </text>
        <text transform={`translate(-16 ${SIZE / 2}) rotate(-90)`} textAnchor="middle" className="att-axis">
          queries i → (blocks of Br = {tile.br})
        </text>
        <defs>
          <pattern id="att-hatch" width={6} height={6} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width={6} height={6} fill="var(--bg)" />
            <line x1={0} y1={0} x2={0} y2={6} stroke="var(--idle)" strokeWidth={2} />
          </pattern>
        </defs>
        <path d={paths.todo} className="att-tile-todo" strokeWidth={stroke} />
        <path d={paths.skipped} className="att-tile-skipped" fill="url(#att-hatch)" strokeWidth={stroke} />
        <path d={paths.done} className="att-tile-done" strokeWidth={stroke} />
        <path d={paths.row} className="att-tile-row" strokeWidth={stroke} />
        <path d={paths.current} className="att-tile-current" strokeWidth={stroke} />
        {shape.causal ? <line x1={0} y1={0} x2={SIZE} y2={SIZE} className="att-diagonal" /> : null}
        <rect x={0} y={q0 * px} width={SIZE} height={(q1 - q0) * px} className="att-qblock" />
        <text x={SIZE + 4} y={((q0 + q1) / 2) * px + 4} className="att-label compute">
          Q
        </text>
        <text
          x={Math.max(14, Math.min(SIZE - 14, ((k0 + k1) / 2) * px))}
          y={SIZE + 18}
          textAnchor="middle"
          className="att-label sram"
        >
          K,V
        </text>
        <rect x={k0 * px} y={SIZE + 2} width={Math.max(1, (k1 - k0) * px)} height={4} fill="var(--sram)" />
      </svg>
      <Legend />
    </div>
  );
}

/** Beside the matrix: what the active workgroup holds now, its workgroup memory and the traffic counters. */
export function ScheduleSide({ shape, tile, schedule, step, workgroupBytes, workgroupLimit, standardRan }: Props) {
  const { qb, kb } = stepAt(schedule, step);
  const n = shape.n;
  const tiledNow = tiledBytesAt(schedule, shape, tile, step);
  const stdNow = standardBytesAt(schedule, shape, step);
  const tiledTotal = schedule.doneBytes[schedule.qBlocks];
  const stdTotal = standardBytesAt(schedule, shape, schedule.total - 1);
  const scaleMax = Math.max(stdTotal, tiledTotal);
  const q0 = qb * tile.br;
  const q1 = Math.min(n, q0 + tile.br);
  const k0 = kb * tile.bc;
  const k1 = Math.min(n, k0 + tile.bc);
  const counterW = 300;

  return (
    <div className="att-side">
      <p className="att-now">
        Workgroup <strong className="compute">{qb + 1}</strong> of {schedule.qBlocks} (queries {q0}–{q1 - 1}) holds
        key/value block <strong className="sram">{kb + 1}</strong> of {schedule.visited[qb]} (keys {k0}–{k1 - 1}) in
        workgroup memory.
        {shape.causal && schedule.visited[qb] < schedule.kBlocks ? (
          <span className="muted">
            {' '}
            The {schedule.kBlocks - schedule.visited[qb]} key block(s) right of the diagonal are skipped: never loaded,
            never computed.
          </span>
        ) : null}
      </p>
      <div className="att-sram" aria-label="Workgroup memory of the active workgroup">
        <div className="att-sram-label">
          <span className="sram">Workgroup memory</span> {fmtBytes(workgroupBytes)} of {fmtBytes(workgroupLimit)}
        </div>
        <div className="att-bar">
          <div
            className="att-bar-fill sram-fill"
            style={{ width: `${Math.min(100, (100 * workgroupBytes) / workgroupLimit)}%` }}
          />
        </div>
        <div className="muted att-small">
          K block {tile.bc}×{shape.d} + V block {tile.bc}×{shape.d}, float32; scores stay in registers, {FLASH_KEY_STEP}{' '}
          keys at a time
        </div>
      </div>
      <div className="att-counters" aria-live="off">
        <div className="att-counters-title">
          <span className="hbm">Global memory traffic so far</span> (all {shape.bh} head{shape.bh > 1 ? 's' : ''})
        </div>
        <CounterBar
          label="tiled"
          value={tiledNow}
          total={tiledTotal}
          max={scaleMax}
          width={counterW}
          testId="counter-tiled"
        />
        <CounterBar
          label={standardRan ? 'standard' : 'standard (model only)'}
          value={stdNow}
          total={stdTotal}
          max={scaleMax}
          width={counterW}
          testId="counter-standard"
        />
        <div className="muted att-small">
          Standard is shown at the same share of the score matrix; it computes masked tiles too.
        </div>
      </div>
    </div>
  );
}

function CounterBar({
  label,
  value,
  total,
  max,
  width,
  testId,
}: {
  label: string;
  value: number;
  total: number;
  max: number;
  width: number;
  testId: string;
}) {
  return (
    <div className="att-counter">
      <span className="att-counter-label">{label}</span>
      {/* Scales with its column (no text inside), so a narrow panel shows the whole bar, not its left part. */}
      <svg width={width} height={14} viewBox={`0 0 ${width} 14`} preserveAspectRatio="none" role="presentation">
        <rect x={0} y={1} width={width} height={12} fill="var(--bg-2)" stroke="var(--border)" />
        <rect x={0} y={1} width={(width * total) / max} height={12} fill="var(--hbm-soft)" />
        <rect x={0} y={1} width={(width * value) / max} height={12} fill="var(--hbm)" />
      </svg>
      <span className="att-counter-value" data-testid={testId}>
        {fmtBytes(value)} <span className="muted">/ {fmtBytes(total)}</span>
      </span>
    </div>
  );
}

function Legend() {
  const items: [string, string][] = [
    ['att-tile-current', 'key block in workgroup memory (this step)'],
    ['att-tile-row', 'still to visit for this query block'],
    ['att-tile-done', 'computed, then discarded (never written out)'],
    ['att-tile-todo', 'later query blocks'],
    ['att-tile-skipped', 'skipped by the causal mask'],
  ];
  return (
    <ul className="att-legend">
      {items.map(([c, t]) => (
        <li key={c}>
          <svg width={14} height={14} role="presentation">
            <rect
              x={1}
              y={1}
              width={12}
              height={12}
              className={c}
              fill={c === 'att-tile-skipped' ? 'url(#att-hatch)' : undefined}
            />
          </svg>{' '}
          {t}
        </li>
      ))}
    </ul>
  );
}
