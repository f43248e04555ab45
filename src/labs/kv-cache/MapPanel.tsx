import { useMemo, useState } from 'react';
import { ChartFrame } from '../../ui/ChartFrame';
import { fmtPct } from '../../ui/format';
import { unpackCell } from '../../sim/kvcache';
import { requestColor } from './colors';
import { FrameCursor, unionSteps } from './frames';
import { LineChart } from '../../charts/LineChart';
import { MemoryMap, blockTables, blocksPerCell } from './MemoryMap';
import type { KvLabResult } from './run';
import { useStepPlayer } from '../../ui/useStepPlayer';

const SPEEDS = [2, 5, 10, 20, 40] as const;
import type { KvRunPart } from './simPart';

const MAP_W = 340;

function nowStats(cells: Float64Array, bs: number): { blocks: number; waste: number } {
  let blocks = 0;
  let fill = 0;
  for (const c of cells) {
    const u = unpackCell(c);
    if (!u) continue;
    blocks++;
    fill += u.fill;
  }
  return { blocks, waste: blocks ? 1 - fill / (blocks * bs) : 0 };
}

function useMap(part: KvRunPart | null, numBlocks: number, step: number) {
  const cursor = useMemo(() => (part ? new FrameCursor(part.frames, numBlocks) : null), [part, numBlocks]);
  return useMemo(() => {
    if (!cursor) return null;
    const i = cursor.indexForStep(step);
    return { frame: cursor.frame(i), cells: cursor.cellsAt(i) };
  }, [cursor, step]);
}

/** Contiguous and paged memory side by side, animated over the recorded steps, with the hovered request’s block table. */
export function MapPanel({ data, resetKey }: { data: KvLabResult; resetKey: string }) {
  const steps = useMemo(() => unionSteps(data.contiguous?.frames, data.paged?.frames), [data]);
  const player = useStepPlayer(steps.length, resetKey, { initialSpeed: 10 });
  const step = steps[player.step] ?? 0;
  const bs = data.config.blockSize;
  const nb = data.config.numBlocks;
  const contig = useMap(data.contiguous, nb, step);
  const paged = useMap(data.paged, nb, step);
  const [hovered, setHover] = useState<number | null>(null);
  const [pinned, setPinned] = useState<number | null>(null);
  const hover = hovered ?? pinned;
  const pick = (id: number | null) => setPinned((p) => (id === null || id === p ? null : id));
  const group = blocksPerCell(nb);

  const panel = (name: string, part: KvRunPart | null, map: typeof paged, error: string | null, cls: string) => {
    if (!part || !map) {
      return (
        <div className="kv-map-col">
          <h4 className={cls}>{name}</h4>
          <p className="error-text">{error}</p>
        </div>
      );
    }
    const s = nowStats(map.cells, bs);
    const ended = step > part.frames[part.frames.length - 1].step;
    return (
      <div className="kv-map-col" data-testid={`kv-map-${cls}`}>
        <h4 className={cls}>{name}</h4>
        <p className="kv-map-stats">
          {ended ? (
            <span className="muted">finished at step {part.summary.steps.toLocaleString('en-US')}</span>
          ) : (
            <>
              <strong>{map.frame.running}</strong> running · <strong>{map.frame.waiting}</strong> waiting
              {map.frame.preempted ? (
                <>
                  {' '}
                  (<strong>{map.frame.preempted}</strong> preempted, latest admitted first)
                </>
              ) : null}{' '}
              · {s.blocks}/{nb} blocks allocated · waste now <strong>{fmtPct(s.waste)}</strong>
            </>
          )}
        </p>
        <MemoryMap
          label={name}
          cells={map.cells}
          blockSize={bs}
          width={MAP_W}
          hover={hover}
          onHover={setHover}
          onPick={pick}
        />
      </div>
    );
  };

  const info = hover !== null && hover >= 0 ? data.requestInfo[hover] : undefined;
  const wasteLines = [
    data.contiguous
      ? {
          label: 'contiguous',
          className: 'kv-contig',
          xs: data.contiguous.series.step,
          ys: data.contiguous.series.waste,
        }
      : null,
    data.paged
      ? { label: 'paged', className: 'kv-paged', xs: data.paged.series.step, ys: data.paged.series.waste }
      : null,
  ].filter((l) => l !== null);

  return (
    <>
      <ChartFrame
        title={`Physical KV memory: ${nb.toLocaleString('en-US')} blocks of ${bs} tokens${group > 1 ? ` (${group} blocks per cell)` : ''}`}
        name="kv-memory-map"
        actions={
          <span className="kv-player" role="group" aria-label="Memory map playback">
            <button
              type="button"
              className="btn btn-small"
              onClick={player.back}
              disabled={player.step <= 0}
              aria-label="Step back"
            >
              ◀
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={player.toggle}
              aria-label={player.playing ? 'Pause' : 'Play'}
            >
              {player.playing ? '❚❚ Pause' : '▶ Play'}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={player.forward}
              disabled={player.step >= steps.length - 1}
              aria-label="Step forward"
            >
              ▶
            </button>
            <select
              value={player.speed}
              onChange={(e) => player.setSpeed(Number(e.target.value))}
              aria-label="Playback speed"
            >
              {SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {s} frames/s
                </option>
              ))}
            </select>
          </span>
        }
      >
        <div className="kv-scrub">
          <input
            type="range"
            min={0}
            max={Math.max(0, steps.length - 1)}
            value={player.step}
            onChange={(e) => player.setStep(Number(e.target.value))}
            aria-label="Model step"
          />
          <span className="muted" data-testid="kv-step">
            step {step.toLocaleString('en-US')}
          </span>
        </div>
        <div className="kv-maps">
          {panel(
            'Contiguous reservation (prompt + max_tokens up front)',
            data.contiguous,
            contig,
            data.contiguousError,
            'kv-contig',
          )}
          {panel('Paged (PagedAttention, blocks on demand)', data.paged, paged, data.pagedError, 'kv-paged')}
        </div>
        <p className="kv-legend-row muted">
          <span className="kv-swatch kv-swatch-solid" /> token stored · <span className="kv-swatch kv-swatch-pale" />{' '}
          allocated, empty (waste) · <span className="kv-swatch kv-swatch-free" /> free ·{' '}
          <span className="kv-swatch kv-swatch-shared" /> shared block (refcount &gt; 1) ·{' '}
          <span className="kv-swatch kv-swatch-system" /> shared system prompt · colour = request.
        </p>
      </ChartFrame>
      {/* Outside the map's frame: on a phone the maps and a control come first, the block table after the controls. */}
      <div className="kv-table-panel" aria-live="polite">
        {hover === null ? (
          <p className="muted">
            Hover a block, or click to pin it, to see its request’s block table (logical block → physical block).
          </p>
        ) : hover === -2 ? (
          <p>
            Shared system-prompt block: every running request’s block table points here; it is stored once and freed
            when the last one finishes.
          </p>
        ) : (
          <>
            <p>
              <span className="kv-dot" style={{ background: requestColor(hover) }} />{' '}
              <strong>Request {hover + 1}</strong>
              {info ? ` · arrived ${info[0].toFixed(2)} s · prompt ${info[1]} tokens · output ${info[2]} tokens` : ''}
            </p>
            <div className="kv-tables">
              {(['contiguous', 'paged'] as const).map((k) => {
                const m = k === 'paged' ? paged : contig;
                const tables = m ? blockTables(m.cells, hover) : [];
                return (
                  <div key={k}>
                    <h5 className={k === 'paged' ? 'kv-paged' : 'kv-contig'}>{k}</h5>
                    {tables.length ? (
                      tables.map((t) => (
                        <p key={t.seq} className="kv-table-line">
                          {tables.length > 1 ? `sample ${t.seq + 1}: ` : ''}
                          {k === 'contiguous'
                            ? `blocks ${t.entries[0].physical}–${t.entries[t.entries.length - 1].physical}, one region of ${t.entries.length} blocks; ${t.entries.filter((e) => e.fill > 0).length} hold tokens`
                            : t.entries
                                .map(
                                  (e) =>
                                    `${e.logical}→${e.physical}${e.fill < bs ? ` (${e.fill}/${bs})` : ''}${e.shared ? '*' : ''}`,
                                )
                                .join('  ')}
                        </p>
                      ))
                    ) : (
                      <p className="muted kv-table-line">not in memory at this step</p>
                    )}
                  </div>
                );
              })}
            </div>
            <p className="muted kv-table-note">
              logical→physical, (filled/size) for a partly filled block, * shared with another sequence.
            </p>
          </>
        )}
      </div>
      <ChartFrame title="Waste over time: allocated KV slots holding no token" name="kv-waste">
        <LineChart
          series={wasteLines}
          xLabel="model step"
          yLabel="waste (% of allocated)"
          yFormat={(v) => `${Math.round(v * 100)}%`}
          yMax={1}
          vline={{ x: step }}
          ariaLabel="Waste share of allocated KV slots per step, contiguous vs paged; the results table lists the averages"
        />
      </ChartFrame>
    </>
  );
}
