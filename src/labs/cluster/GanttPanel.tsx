import type { PipeTimeline, Schedule } from '../../sim/cluster';
import { ChartFrame } from '../../ui/ChartFrame';
import { useStepPlayer } from '../../ui/useStepPlayer';
import { PipelineGantt } from './PipelineGantt';

interface Props {
  timeline: PipeTimeline;
  stages: number;
  microbatches: number;
  chunks: number;
  schedule: Schedule;
}

const NAME: Record<Schedule, string> = { gpipe: 'GPipe', '1f1b': '1F1B', interleaved: 'Interleaved 1F1B' };

/** The Gantt chart with play/pause/step/speed: the simulator's events appear in the order they start. */
export function GanttPanel({ timeline, stages, microbatches, chunks, schedule }: Props) {
  const total = timeline.events.length + 1;
  const player = useStepPlayer(total, timeline, { msPerStep: Math.max(40, 4000 / total), loop: false });
  const formula =
    schedule === 'interleaved'
      ? `(1/v)·(p−1)/m = (1/${chunks})·${stages - 1}/${microbatches}`
      : `(p−1)/m = ${stages - 1}/${microbatches}`;
  return (
    <ChartFrame
      title={`${NAME[schedule]}: ${stages} stages × ${microbatches} micro-batches${schedule === 'interleaved' ? ` × ${chunks} chunks` : ''}`}
      name="cluster-pipeline"
      actions={
        <span className="cluster-player" role="group" aria-label="Schedule player">
          <button
            type="button"
            className="btn btn-small"
            onClick={player.toggle}
            aria-label={player.playing ? 'Pause' : 'Play'}
          >
            {player.playing ? '❚❚' : '▶'}
          </button>
          <button type="button" className="btn btn-small" onClick={player.forward} aria-label="Next step">
            ›
          </button>
          <select aria-label="Speed" value={player.speed} onChange={(e) => player.setSpeed(Number(e.target.value))}>
            {[0.25, 0.5, 1, 2, 4].map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </span>
      }
    >
      <PipelineGantt timeline={timeline} stages={stages} shown={player.step} />
      <p className="cluster-caption">
        Measured from the schedule’s events: bubble {(timeline.bubbleRelative * 100).toFixed(1)}% of the ideal time
        (Narayanan et al. 2021: {formula}), idle {(timeline.idleFraction * 100).toFixed(1)}% of the makespan; GPU 0
        holds activations of up to {timeline.peakInFlight[0]}{' '}
        {schedule === 'interleaved' ? 'micro-batch chunks' : 'micro-batches'} at once. Step {player.step} of {total - 1}
        .
      </p>
    </ChartFrame>
  );
}
