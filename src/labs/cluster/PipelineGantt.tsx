import { scaleLinear } from 'd3';
import { useMemo } from 'react';
import type { PipeTimeline } from '../../sim/cluster';

interface Props {
  timeline: PipeTimeline;
  stages: number;
  /** Events shown so far (the step player's position); all when undefined. */
  shown?: number;
}

const W = 560;
const ROW = 24;
const M = { l: 58, r: 10, t: 8, b: 30 };

/**
 * The pipeline schedule as a Gantt chart: one row per GPU (stage), forwards in light violet, backwards
 * in dark violet, the micro-batch number in each box, grey where the GPU idles (the bubble). The boxes
 * are the simulator's events, revealed in start order by the step player.
 */
export function PipelineGantt({ timeline, stages, shown }: Props) {
  const H = M.t + stages * ROW + M.b;
  const x = useMemo(() => scaleLinear().domain([0, timeline.makespan]).range([M.l, W - M.r]), [timeline]);
  const events = shown === undefined ? timeline.events : timeline.events.slice(0, shown);
  const now = events.length ? events[events.length - 1].start : 0;
  return (
    <svg className="chart cluster-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Pipeline schedule: stages against time, forward and backward passes per micro-batch">
      {Array.from({ length: stages }, (_, s) => (
        <g key={s}>
          <rect x={M.l} y={M.t + s * ROW + 2} width={W - M.r - M.l} height={ROW - 4} fill="var(--bg-2)" />
          <text x={M.l - 6} y={M.t + s * ROW + ROW / 2 + 4} textAnchor="end" className="cluster-tick">
            GPU {s}
          </text>
        </g>
      ))}
      {events.map((e, i) => {
        const w = x(e.end) - x(e.start);
        return (
          <g key={i} data-kind={e.kind}>
            <rect
              x={x(e.start) + 0.5}
              y={M.t + e.stage * ROW + 2}
              width={Math.max(0.5, w - 1)}
              height={ROW - 4}
              fill={e.kind === 'F' ? 'var(--compute-soft)' : 'var(--compute)'}
              stroke={e.chunk > 0 ? 'var(--fg)' : 'none'}
              strokeWidth={e.chunk > 0 ? 0.6 : 0}
            >
              <title>{`GPU ${e.stage}: ${e.kind === 'F' ? 'forward' : 'backward'} of micro-batch ${e.microbatch + 1}${e.chunk ? `, chunk ${e.chunk + 1}` : ''}`}</title>
            </rect>
            {w > 11 ? (
              <text x={x(e.start) + w / 2} y={M.t + e.stage * ROW + ROW / 2 + 4} textAnchor="middle" className={e.kind === 'F' ? 'cluster-box' : 'cluster-box light'}>
                {e.microbatch + 1}
              </text>
            ) : null}
          </g>
        );
      })}
      {shown !== undefined && shown < timeline.events.length ? <line x1={x(now)} x2={x(now)} y1={M.t} y2={M.t + stages * ROW} stroke="var(--fg)" strokeWidth={1} /> : null}
      <g transform={`translate(${M.l}, ${H - 10})`}>
        <rect width={10} height={10} y={-9} fill="var(--compute-soft)" />
        <text x={14} className="cluster-tick">
          forward
        </text>
        <rect x={74} width={10} height={10} y={-9} fill="var(--compute)" />
        <text x={88} className="cluster-tick">
          backward (2× forward)
        </text>
        <rect x={230} width={10} height={10} y={-9} fill="var(--bg-2)" stroke="var(--border)" />
        <text x={244} className="cluster-tick">
          idle: the bubble
        </text>
      </g>
    </svg>
  );
}
