import type { StepPlayer } from '../../ui/useStepPlayer';

const SPEEDS = [0.5, 1, 2, 4] as const;

/** Play/pause, step and speed for the K-loop animation, keyboard-reachable buttons. */
export function PlayerControls({ p }: { p: StepPlayer }) {
  return (
    <span className="player">
      <button
        type="button"
        className="btn btn-small"
        onClick={p.back}
        aria-label="Previous K step"
        disabled={p.step === 0}
      >
        ◀
      </button>
      <button
        type="button"
        className="btn btn-small"
        onClick={p.toggle}
        aria-label={p.playing ? 'Pause the K loop' : 'Play the K loop'}
      >
        {p.playing ? 'Pause' : 'Play'}
      </button>
      <button
        type="button"
        className="btn btn-small"
        onClick={p.forward}
        aria-label="Next K step"
        disabled={p.step >= p.total - 1}
      >
        ▶
      </button>
      <label className="muted">
        speed{' '}
        <select value={p.speed} onChange={(e) => p.setSpeed(Number(e.target.value))} aria-label="Animation speed">
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
    </span>
  );
}
