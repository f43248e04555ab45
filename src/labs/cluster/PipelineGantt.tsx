import { key } from '../../charts/Legend';
import { RuleX } from '../../charts/marks';
import { Plot } from '../../charts/Plot';
import type { PipeTimeline } from '../../sim/cluster';

interface Props {
  timeline: PipeTimeline;
  stages: number;
  /** Events shown so far (the step player's position); all when undefined. */
  shown?: number;
}

const LEGEND = [
  key.box('forward', 'var(--compute-soft)'),
  key.box('backward (2× forward)', 'var(--compute)'),
  key.box('idle: the bubble', 'var(--bg-2)'),
];

/**
 * The pipeline schedule as a Gantt chart: one row per GPU (stage), forwards in light violet, backwards
 * in dark violet, the micro-batch number in each box, grey where the GPU idles (the bubble). The boxes
 * are the simulator's events, revealed in start order by the step player.
 */
export function PipelineGantt({ timeline, stages, shown }: Props) {
  const events = shown === undefined ? timeline.events : timeline.events.slice(0, shown);
  const now = events.length ? events[events.length - 1].start : 0;
  const lanes = Array.from({ length: stages }, (_, s) => `GPU ${s}`);
  return (
    <Plot
      className="cluster-chart"
      ariaLabel="Pipeline schedule: stages against time, forward and backward passes per micro-batch"
      height={stages * 24}
      legend={LEGEND}
      x={{ type: 'linear', domain: [0, timeline.makespan], label: 'time (one forward pass = 1)' }}
      y={{ type: 'band', domain: lanes, padding: 0.12 }}
    >
      {(ctx) => (
        <>
          {lanes.map((l) => (
            <rect
              key={l}
              x={ctx.left}
              y={ctx.y(l)}
              width={ctx.right - ctx.left}
              height={ctx.y.bandwidth}
              fill="var(--bg-2)"
            />
          ))}
          {events.map((e, i) => {
            const x0 = ctx.x(e.start);
            const w = ctx.x(e.end) - x0;
            const y0 = ctx.y(lanes[e.stage]);
            return (
              <g key={i} data-kind={e.kind}>
                <rect
                  x={x0 + 0.5}
                  y={y0}
                  width={Math.max(0.5, w - 1)}
                  height={ctx.y.bandwidth}
                  fill={e.kind === 'F' ? 'var(--compute-soft)' : 'var(--compute)'}
                  stroke={e.chunk > 0 ? 'var(--fg)' : 'none'}
                  strokeWidth={e.chunk > 0 ? 0.6 : 0}
                >
                  <title>{`GPU ${e.stage}: ${e.kind === 'F' ? 'forward' : 'backward'} of micro-batch ${e.microbatch + 1}${e.chunk ? `, chunk ${e.chunk + 1}` : ''}`}</title>
                </rect>
                {w > 14 ? (
                  <text
                    x={x0 + w / 2}
                    y={y0 + ctx.y.bandwidth / 2}
                    dy="0.35em"
                    textAnchor="middle"
                    className={e.kind === 'F' ? 'cluster-box' : 'cluster-box light'}
                  >
                    {e.microbatch + 1}
                  </text>
                ) : null}
              </g>
            );
          })}
          {shown !== undefined && shown < timeline.events.length ? (
            <RuleX ctx={ctx} at={now} stroke="var(--fg)" />
          ) : null}
        </>
      )}
    </Plot>
  );
}
