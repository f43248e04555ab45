import { key } from '../../charts/Legend';
import { dayTicks } from '../../charts/timeTicks';
import { LineMark } from '../../charts/marks';
import { Plot } from '../../charts/Plot';
import type { FailureResult, Phase } from '../../sim/cluster';

interface Props {
  result: FailureResult;
}

/** Height of the strip of job phases drawn above the plot. */
const BAND = 20;

export const PHASE_STYLE: Record<Phase, { color: string; label: string }> = {
  train: { color: 'var(--compute)', label: 'training' },
  checkpoint: { color: 'var(--sram)', label: 'checkpoint stall' },
  restart: { color: 'var(--hbm)', label: 'restart' },
  wait: { color: 'var(--idle)', label: 'waiting for a node' },
};

const LEGEND = [
  ...(Object.keys(PHASE_STYLE) as Phase[]).map((p) => key.box(PHASE_STYLE[p].label, PHASE_STYLE[p].color)),
  key.tri('node failure (▽ other)', 'var(--error)'),
  key.line('training kept', 'var(--compute)'),
  key.dash('no failures', 'var(--fg-2)'),
];

/** Rebuilds progress from the spans (training adds capacity × time) and the failures (roll back). */
function progress(result: FailureResult): [number, number][] {
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
  return pts;
}

/** Kept training progress against wall time (it drops at every failure), under a strip of job phases. */
export function FailureTimeline({ result }: Props) {
  const days = result.horizonH >= 72;
  const fmt = (v: number | string) => (days ? `${(Number(v) / 24).toFixed(0)} d` : `${v} h`);
  const end = result.spans.length ? result.spans[result.spans.length - 1].to : result.horizonH;
  const kept = progress(result);
  return (
    <Plot
      className="cluster-chart"
      ariaLabel="Failure timeline: training progress kept against wall-clock time, with failures, checkpoints and restarts"
      height={170}
      interactive
      legend={LEGEND}
      pad={{ top: BAND + 12 }}
      x={{
        type: 'linear',
        domain: [0, result.horizonH],
        ticks: days ? dayTicks(result.horizonH) : undefined,
        label: 'wall-clock time',
        format: fmt,
      }}
      y={{
        type: 'linear',
        domain: [0, result.horizonH],
        nice: !days,
        ticks: days ? dayTicks(result.horizonH, 4) : undefined,
        label: 'training kept',
        format: fmt,
        grid: true,
      }}
    >
      {(ctx) => {
        const bandY = ctx.top - BAND - 8;
        return (
          <>
            <LineMark
              ctx={ctx}
              pts={[
                [0, 0],
                [end, end],
              ]}
              stroke="var(--fg-2)"
              strokeDasharray="4 3"
              strokeWidth={1.2}
            />
            <LineMark ctx={ctx} pts={kept} stroke="var(--compute)" strokeWidth={1.8} />
            {result.spans.map((s, i) => {
              const h = BAND * (s.phase === 'train' ? s.capacity : 1);
              return (
                <rect
                  key={i}
                  x={ctx.x(s.from)}
                  width={Math.max(0.3, ctx.x(s.to) - ctx.x(s.from))}
                  y={bandY + BAND - h}
                  height={h}
                  fill={PHASE_STYLE[s.phase].color}
                />
              );
            })}
            {result.events
              .filter((e) => e.kind === 'failure' || e.kind === 'hardware-failure')
              .map((e, i) => {
                const at: [number, number] = [ctx.x(e.t), bandY + BAND + 1];
                return (
                  <path
                    key={i}
                    d={`M${at[0]},${at[1] + 7} l-3.5,-7 h7 z`}
                    fill={e.kind === 'hardware-failure' ? 'var(--error)' : 'none'}
                    stroke="var(--error)"
                    strokeWidth={1}
                    {...ctx.tip(
                      [
                        `${e.kind === 'hardware-failure' ? 'Node failure' : 'Failure'} at ${e.t.toFixed(1)} h`,
                        `${((e.lostH ?? 0) * 60).toFixed(0)} min of training lost`,
                      ],
                      at,
                    )}
                  />
                );
              })}
          </>
        );
      }}
    </Plot>
  );
}
