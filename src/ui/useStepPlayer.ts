import { useCallback, useEffect, useState } from 'react';

export function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && Boolean(window.matchMedia?.('(prefers-reduced-motion: reduce)').matches);
}

export interface StepPlayerOptions {
  /** Speed multiplier at start. */
  initialSpeed?: number;
  /** Time per step at 1×. */
  msPerStep?: number;
  /** Wrap to the first step instead of stopping at the last (a loop left playing on an open page). */
  loop?: boolean;
}

/**
 * Play/pause/step/speed over `total` steps of a recorded run or schedule, shared by every lab's
 * animation. Starts paused when the user prefers reduced motion; `resetKey` (the run) restarts it.
 */
export function useStepPlayer(total: number, resetKey: unknown, opts: StepPlayerOptions = {}) {
  const { initialSpeed = 1, msPerStep = 1000, loop = false } = opts;
  const [raw, setRaw] = useState(0);
  const [playing, setPlaying] = useState(() => !prefersReducedMotion());
  const [speed, setSpeed] = useState<number>(initialSpeed);
  const last = Math.max(0, total - 1);

  useEffect(() => setRaw(0), [resetKey]);
  const setStep = useCallback((s: number) => setRaw(Math.max(0, Math.min(last, Math.round(s)))), [last]);

  useEffect(() => {
    if (!playing || total <= 1) return;
    const id = window.setInterval(() => {
      setRaw((s) => {
        if (loop) return (s + 1) % total;
        if (s >= last) {
          setPlaying(false);
          return s;
        }
        return s + 1;
      });
    }, msPerStep / speed);
    return () => window.clearInterval(id);
  }, [playing, speed, total, last, loop, msPerStep]);

  const step = Math.min(raw, last);
  return {
    step,
    total,
    playing,
    speed,
    setSpeed,
    setStep,
    toggle: () => {
      if (!playing && !loop && step >= last) setRaw(0);
      setPlaying(!playing);
    },
    forward: () => {
      setPlaying(false);
      setStep(step + 1);
    },
    back: () => {
      setPlaying(false);
      setStep(step - 1);
    },
  };
}

export type StepPlayer = ReturnType<typeof useStepPlayer>;
