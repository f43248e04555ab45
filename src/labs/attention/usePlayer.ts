import { useCallback, useEffect, useState } from 'react';

export const SPEEDS = [1, 2, 4, 8, 16, 32, 64] as const;

function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && Boolean(window.matchMedia?.('(prefers-reduced-motion: reduce)').matches);
}

/** Play/pause/step over `total` steps; starts paused when the user asks for reduced motion. */
export function usePlayer(total: number, resetKey: string) {
  const [step, setStepRaw] = useState(0);
  const [playing, setPlaying] = useState(() => !prefersReducedMotion());
  const [speed, setSpeed] = useState<number>(4);

  useEffect(() => setStepRaw(0), [resetKey]);

  const setStep = useCallback((t: number) => setStepRaw(Math.max(0, Math.min(total - 1, Math.round(t)))), [total]);

  useEffect(() => {
    if (!playing || total <= 1) return;
    const id = window.setInterval(() => {
      setStepRaw((s) => {
        if (s >= total - 1) {
          setPlaying(false);
          return s;
        }
        return s + 1;
      });
    }, 1000 / speed);
    return () => window.clearInterval(id);
  }, [playing, speed, total]);

  return {
    step: Math.min(step, Math.max(0, total - 1)),
    playing,
    speed,
    setSpeed,
    setStep,
    toggle: () => {
      if (!playing && step >= total - 1) setStepRaw(0);
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

export type Player = ReturnType<typeof usePlayer>;
