import { line, scaleLinear } from 'd3';
import { useMemo } from 'react';
import type { FailureResult, Phase } from '../../sim/cluster';
import { dayTicks } from './labels';

interface Props {
  result: FailureResult;
}

const W = 560;
const H = 250;
const M = { l: 48, r: 12, t: 12, b: 34 };
const BAND = 22;
const PLOT_B = H - M.b - BAND - 14;

export const PHASE_STYLE: Record<Phase, { color: string; label: string }> = {
  train: { color: 'var(--compute)', label: 'training' },
  checkpoint: { color: 'var(--sram)', label: 'checkpoint stall' },
  restart: { color: 'var(--hbm)', label: 'restart' },
  wait: { color: 'var(--idle)', label: 'waiting for a node' },
};

/** Kept training progress against wall time (it drops at every failure), above a band of job phases. */
export function FailureTimeline({ result }: Props) {
  const { x, y, kept, ideal } = useMemo(() => {
    const x = scaleLinear().domain([0, result.horizonH]).range([M.l, W - M.r]);
    const y = scaleLinear().domain([0, result.horizonH]).range([PLOT_B, M.t]).nice();
    // Rebuild progress from the spans (training adds capacity × time) and the failures (roll back).
    const pts: [number, number][] = [[0, 0]];
    let work = 0;
    const failures = result.events.filter((e) => e.lostH !== undefined).sort((a, b) => a.t - b.t);
    let fi = 0;
    for (const s of result.spans) {
      while (fi < failures.length && failures[fi].t <= s.from) {
        pts.push([failures[fi].t, work]);
        work -= failures[fi].lostH ?? 0;
        pts.push([failures[fi].t, work]);
        fi++;
      }
      if (s.phase === 'train') work += (s.to - s.from) * s.capacity;
      pts.push([s.to, work]);
    }
    const path = line<[number, number]>()
      .x((p) => x(p[0]))
      .y((p) => y(p[1]));
    const end = result.spans.length ? result.spans[result.spans.length - 1].to : result.horizonH;
    return { x, y, kept: path(pts), ideal: path([[0, 0], [end, end]]) };
  }, [result]);
  const bandY = H - M.b - BAND;
  const days = result.horizonH >= 72;
  const ticks = days ? dayTicks(result.horizonH) : x.ticks(6);
  const yTicks = days ? dayTicks(y.domain()[1], 4) : y.ticks(4);
  return (
    <svg className="chart cluster-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Failure timeline: training progress kept against wall-clock time, with failures, checkpoints and restarts">
      {yTicks.map((t) => (
        <g key={t}>
          <line x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} stroke="var(--border)" />
          <text x={M.l - 6} y={y(t) + 4} textAnchor="end" className="cluster-tick">
            {days ? `${(t / 24).toFixed(0)} d` : `${t} h`}
          </text>
        </g>
      ))}
      <text x={M.l} y={M.t - 2} className="cluster-tick">
        training kept (full-cluster time)
      </text>
      <path d={ideal ?? ''} fill="none" stroke="var(--fg-2)" strokeDasharray="4 3" />
      <path d={kept ?? ''} fill="none" stroke="var(--compute)" strokeWidth={1.8} />
      {result.spans.map((s, i) => (
        <rect key={i} x={x(s.from)} width={Math.max(0.3, x(s.to) - x(s.from))} y={bandY + BAND * (1 - (s.phase === 'train' ? s.capacity : 1))} height={BAND * (s.phase === 'train' ? s.capacity : 1)} fill={PHASE_STYLE[s.phase].color} />
      ))}
      {result.events
        .filter((e) => e.kind === 'failure' || e.kind === 'hardware-failure')
        .map((e, i) => (
          <path key={i} d={`M${x(e.t)},${bandY - 2} l-3.5,-7 h7 z`} fill={e.kind === 'hardware-failure' ? 'var(--error)' : 'none'} stroke="var(--error)" strokeWidth={1}>
            <title>{`${e.kind === 'hardware-failure' ? 'Node failure' : 'Failure'} at ${e.t.toFixed(1)} h: ${((e.lostH ?? 0) * 60).toFixed(0)} min of training lost`}</title>
          </path>
        ))}
      {ticks.map((t) => (
        <text key={t} x={x(t)} y={H - M.b + 14} textAnchor="middle" className="cluster-tick">
          {days ? `${t / 24} d` : `${t} h`}
        </text>
      ))}
      <g transform={`translate(${M.l}, ${H - 6})`}>
        {(Object.keys(PHASE_STYLE) as Phase[]).map((p, i) => (
          <g key={p} transform={`translate(${[0, 72, 178, 240][i]}, 0)`}>
            <rect width={10} height={10} y={-9} fill={PHASE_STYLE[p].color} />
            <text x={14} className="cluster-tick">
              {PHASE_STYLE[p].label}
            </text>
          </g>
        ))}
        <g transform="translate(372, 0)">
          <path d="M5,-1 l-4,-8 h8 z" fill="var(--error)" />
          <text x={14} className="cluster-tick">
            node failure (▽ other)
          </text>
        </g>
      </g>
    </svg>
  );
}
