import { area, curveStepAfter, scaleLinear } from 'd3';
import { useMemo } from 'react';
import { fmtMs } from '../../ui/format';
import type { QueueSample, SpanKind, TraceSpan } from '../../sim/dataloader/types';

interface Props {
  lanes: string[];
  spans: TraceSpan[];
  queue: QueueSample[];
  endMs: number;
  /** Left edge of the time axis (a sliding window while a live run streams); default 0. */
  startMs?: number;
  /** Only spans that started before this time are drawn (playback); undefined draws everything. */
  untilMs?: number;
  /** Changes whenever the (mutable) span arrays grew, so memoised geometry is recomputed. */
  version?: number;
}

export const KIND_CLASS: Record<SpanKind, string> = {
  step: 'dl-step',
  load: 'dl-load',
  read: 'dl-read',
  copy: 'dl-copy',
  wait: 'dl-wait',
  startup: 'dl-startup',
};

export const KIND_LABEL: Record<SpanKind, string> = {
  step: 'busy (GPU step; worker decoding)',
  load: 'decode + transform',
  read: 'storage read',
  copy: 'host→device copy',
  wait: 'GPU idle, waiting for data',
  startup: 'worker start-up',
};

const W = 920;
const LEFT = 96;
const RIGHT = 12;

/**
 * One lane per worker (or the main thread) and one for the GPU: busy spans in the compute colour,
 * idle waiting in grey, with the ready-batch queue underneath on the same time axis.
 */
export function Timeline({ lanes, spans, queue, endMs, startMs = 0, untilMs, version }: Props) {
  const laneH = lanes.length > 24 ? 6 : lanes.length > 12 ? 12 : 20;
  const gpuY = 18;
  const lanesY = gpuY + 30;
  const queueY = lanesY + lanes.length * laneH + 14;
  const queueH = 46;
  const H = queueY + queueH + 28;
  const end = Math.max(endMs, untilMs ?? 0, 1);

  const geom = useMemo(() => {
    const x = scaleLinear()
      .domain([0, end])
      .range([LEFT, W - RIGHT]);
    const limit = untilMs ?? Infinity;
    const rects = [];
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i];
      if (s.t0 > limit) continue;
      const t1 = Math.min(s.t1, limit);
      const x0 = x(s.t0);
      const w = Math.max(0.6, x(t1) - x0);
      const y = s.lane < 0 ? gpuY : lanesY + s.lane * laneH;
      const h = s.lane < 0 ? 22 : laneH - (laneH > 8 ? 3 : 1);
      // The GPU lane shows its steps in the busy colour; workers' loads are their busy time.
      const cls = s.lane >= 0 && s.kind === 'load' ? 'dl-step' : KIND_CLASS[s.kind];
      rects.push(<rect key={i} x={x0} y={y} width={w} height={h} className={cls} />);
    }
    const shown = queue.filter((q) => q.t <= limit);
    const maxQ = Math.max(1, ...shown.map((q) => q.depth));
    const yq = scaleLinear()
      .domain([0, maxQ])
      .range([queueY + queueH, queueY]);
    const last = shown.length ? shown[shown.length - 1] : { t: 0, depth: 0 };
    const pts = [...shown, { t: Math.min(limit, end), depth: last.depth }];
    const path =
      area<QueueSample>()
        .x((q) => x(q.t))
        .y0(queueY + queueH)
        .y1((q) => yq(q.depth))
        .curve(curveStepAfter)(pts) ?? '';
    return { x, rects, path, maxQ, yq };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- version stands for the live arrays, which grow in place
  }, [spans, queue, startMs, end, untilMs, version, laneH, lanes.length]);

  const ticks = geom.x.ticks(8);
  return (
    <svg
      className="chart dl-timeline"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label="Timeline of the data pipeline: one lane per worker and one for the GPU, with the queue of ready batches below"
    >
      {ticks.map((t) => (
        <g key={t}>
          <line x1={geom.x(t)} x2={geom.x(t)} y1={gpuY - 4} y2={queueY + queueH} className="dl-grid" />
          <text x={geom.x(t)} y={H - 8} textAnchor="middle" className="muted">
            {fmtMs(t)}
          </text>
        </g>
      ))}
      <text x={LEFT - 8} y={gpuY + 15} textAnchor="end" className="dl-lane-label">
        GPU
      </text>
      <rect x={LEFT} y={gpuY} width={W - LEFT - RIGHT} height={22} className="dl-lane-bg" />
      {lanes.map((name, i) =>
        laneH >= 12 || i % 8 === 0 ? (
          <text key={name} x={LEFT - 8} y={lanesY + i * laneH + laneH * 0.7} textAnchor="end" className="dl-lane-label">
            {name}
          </text>
        ) : null,
      )}
      {geom.rects}
      <text x={LEFT - 8} y={queueY + 12} textAnchor="end" className="dl-lane-label">
        ready queue
      </text>
      <text x={LEFT - 8} y={queueY + queueH} textAnchor="end" className="muted">
        max {geom.maxQ}
      </text>
      <path d={geom.path} className="dl-queue" />
      {untilMs !== undefined ? <line x1={geom.x(untilMs)} x2={geom.x(untilMs)} y1={gpuY - 6} y2={queueY + queueH} className="dl-playhead" /> : null}
    </svg>
  );
}

export function TimelineLegend({ kinds }: { kinds: SpanKind[] }) {
  return (
    <p className="dl-legend">
      {kinds.map((k) => (
        <span key={k}>
          <svg width="14" height="10" aria-hidden="true">
            <rect width="14" height="10" className={KIND_CLASS[k]} />
          </svg>{' '}
          {KIND_LABEL[k]}
        </span>
      ))}
      <span>
        <svg width="14" height="10" aria-hidden="true">
          <rect width="14" height="10" className="dl-queue" />
        </svg>{' '}
        batches ready, waiting for the GPU
      </span>
    </p>
  );
}
