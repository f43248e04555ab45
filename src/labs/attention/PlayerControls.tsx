import type { StepPlayer } from '../../ui/useStepPlayer';

const SPEEDS = [1, 2, 4, 8, 16, 32, 64] as const;

/** Play/pause, step and speed for the schedule; everything keyboard-reachable. */
export function PlayerControls({ player, total, label }: { player: StepPlayer; total: number; label: string }) {
  return (
    <div className="att-player" role="group" aria-label={`${label} playback`}>
      <button
        type="button"
        className="btn btn-small"
        onClick={player.back}
        disabled={player.step <= 0}
        aria-label="Step back"
      >
        ◀ Back
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
        disabled={player.step >= total - 1}
        aria-label="Step"
      >
        Step ▶
      </button>
      <label className="att-speed">
        Speed{' '}
        <select value={player.speed} onChange={(e) => player.setSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s} tiles/s
            </option>
          ))}
        </select>
      </label>
      <input
        type="range"
        className="att-scrub"
        min={0}
        max={Math.max(0, total - 1)}
        value={player.step}
        onChange={(e) => player.setStep(Number(e.target.value))}
        aria-label="Schedule position"
      />
      <span className="muted att-stepno" data-testid="attention-step">
        step {player.step + 1} / {total}
      </span>
    </div>
  );
}
