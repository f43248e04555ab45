import { useMemo } from 'react';
import { LINE_PX } from '../../charts/layout';
import { areaPath, RuleX } from '../../charts/marks';
import { Plot } from '../../charts/Plot';
import type { Scale } from '../../charts/scales';
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

/** Height of the ready-queue strip above the lanes, and of its title line. */
const QUEUE_H = 40;

/**
 * One lane per worker (or the main thread) and one for the GPU: busy spans in the compute colour,
 * idle waiting in grey, with the ready-batch queue above them on the same time axis.
 */
export function Timeline({ lanes, spans, queue, endMs, startMs = 0, untilMs, version }: Props) {
  const laneH = lanes.length > 24 ? 6 : lanes.length > 12 ? 12 : 20;
  const end = Math.max(endMs, untilMs ?? 0, startMs + 1);
  const keys = useMemo(() => ['GPU', ...lanes], [lanes]);
  const limit = untilMs ?? Infinity;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- version stands for the live queue array, which grows in place
  const shownQueue = useMemo(() => queue.filter((q) => q.t <= limit), [queue, limit, version]);
  const maxQ = Math.max(1, ...shownQueue.map((q) => q.depth));
  return (
    <Plot
      className="dl-timeline"
      ariaLabel="Timeline of the data pipeline: one lane per worker and one for the GPU, with the queue of ready batches above"
      height={24 + lanes.length * laneH}
      pad={{ top: QUEUE_H + LINE_PX + 6 }}
      x={{ type: 'linear', domain: [startMs, end], label: 'time', format: (v) => fmtMs(Number(v)), grid: true }}
      y={{ type: 'band', domain: keys, padding: laneH > 8 ? 0.12 : 0.05 }}
      fallbackWidth={920}
    >
      {(ctx) => {
        // The queue strip: its own linear depth scale between the title line and the lanes.
        const q0 = ctx.top - 6;
        const yq = (d: number) => q0 - (d / maxQ) * QUEUE_H;
        const last = shownQueue.length ? shownQueue[shownQueue.length - 1] : { t: startMs, depth: 0 };
        const pts = [...shownQueue, { t: Math.min(limit, end), depth: last.depth }].map(
          (q) => [q.t, q.depth] as [number, number],
        );
        const queuePath = areaPath(pts, ctx.x, yq, 0, true);
        return (
          <>
            <text x={ctx.left} y={q0 - QUEUE_H - 4} className="dl-lane-label">
              ready queue (batches waiting for the GPU, max {maxQ})
            </text>
            <path d={queuePath} className="dl-queue" />
            <rect
              x={ctx.left}
              y={ctx.y('GPU')}
              width={ctx.right - ctx.left}
              height={ctx.y.bandwidth}
              className="dl-lane-bg"
            />
            <SpanRects
              spans={spans}
              x={ctx.x}
              y={(lane) => ctx.y(lane < 0 ? 'GPU' : keys[lane + 1])}
              h={ctx.y.bandwidth}
              limit={limit}
              version={version}
            />
            {untilMs !== undefined ? <RuleX ctx={ctx} at={untilMs} className="dl-playhead" /> : null}
          </>
        );
      }}
    </Plot>
  );
}

/** The spans as rectangles, memoised: a live run streams thousands of them. */
function SpanRects({
  spans,
  x,
  y,
  h,
  limit,
  version,
}: {
  spans: TraceSpan[];
  x: Scale;
  y(lane: number): number;
  h: number;
  limit: number;
  version?: number;
}) {
  const lo = x.lo;
  const hi = x.hi;
  return useMemo(() => {
    const out = [];
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i];
      if (s.t0 > limit || s.t1 < lo || s.t0 > hi) continue;
      const x0 = x(Math.max(s.t0, lo));
      const w = Math.max(0.6, x(Math.min(s.t1, limit, hi)) - x0);
      // The GPU lane shows its steps in the busy colour; workers' loads are their busy time.
      const cls = s.lane >= 0 && s.kind === 'load' ? 'dl-step' : KIND_CLASS[s.kind];
      out.push(<rect key={i} x={x0} y={y(s.lane)} width={w} height={h} className={cls} />);
    }
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- x and y change with every render; what they map is fixed by the domain, the width and the lanes
  }, [spans, limit, lo, hi, h, version, x(lo), x(hi), y(-1), y(0)]);
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
