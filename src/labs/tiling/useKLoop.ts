import { useCallback, useEffect, useState } from 'react';

export const SPEEDS = [0.5, 1, 2, 4] as const;

function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && Boolean(window.matchMedia?.('(prefers-reduced-motion: reduce)').matches);
}

/**
 * Steps through the K loop of one workgroup: play/pause, step, speed. Starts paused when the user
 * prefers reduced motion. `resetKey` (the run's shape) restarts it at step 0.
 */
export function useKLoop(steps: number, resetKey: string) {
  const [step, setStep] = useState(0);
  const [playing, setPlaying] = useState(() => !prefersReducedMotion());
  const [speed, setSpeed] = useState<number>(1);

  useEffect(() => setStep(0), [resetKey]);
  useEffect(() => {
    if (!playing || steps <= 1) return;
    // One K step per 700 ms at 1×, wrapping so the loop keeps showing on a page left open.
    const t = setInterval(() => setStep((s) => (s + 1) % steps), 700 / speed);
    return () => clearInterval(t);
  }, [playing, speed, steps]);

  const clamp = useCallback((s: number) => Math.max(0, Math.min(steps - 1, s)), [steps]);
  return {
    step: clamp(step),
    steps,
    playing,
    speed,
    setSpeed,
    toggle: () => setPlaying((p) => !p),
    forward: () => {
      setPlaying(false);
      setStep((s) => clamp(s + 1));
    },
    back: () => {
      setPlaying(false);
      setStep((s) => clamp(s - 1));
    },
    reset: () => {
      setPlaying(false);
      setStep(0);
    },
  };
}

export type KLoop = ReturnType<typeof useKLoop>;
