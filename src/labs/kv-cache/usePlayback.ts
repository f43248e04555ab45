import { useCallback, useEffect, useState } from 'react';

export const SPEEDS = [2, 5, 10, 20, 40] as const;

function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && Boolean(window.matchMedia?.('(prefers-reduced-motion: reduce)').matches);
}

/** Play/pause/step over `total` recorded frames; paused from the start under reduced motion. */
export function usePlayback(total: number, resetKey: string) {
  const [index, setIndexRaw] = useState(0);
  const [playing, setPlaying] = useState(() => !prefersReducedMotion());
  const [speed, setSpeed] = useState<number>(10);

  useEffect(() => setIndexRaw(0), [resetKey]);
  const last = Math.max(0, total - 1);
  const setIndex = useCallback((i: number) => setIndexRaw(Math.max(0, Math.min(last, Math.round(i)))), [last]);

  useEffect(() => {
    if (!playing || total <= 1) return;
    const id = window.setInterval(() => {
      setIndexRaw((i) => {
        if (i >= last) {
          setPlaying(false);
          return i;
        }
        return i + 1;
      });
    }, 1000 / speed);
    return () => window.clearInterval(id);
  }, [playing, speed, total, last]);

  const at = Math.min(index, last);
  return {
    index: at,
    playing,
    speed,
    setSpeed,
    setIndex,
    toggle: () => {
      if (!playing && at >= last) setIndexRaw(0);
      setPlaying(!playing);
    },
    forward: () => {
      setPlaying(false);
      setIndex(at + 1);
    },
    back: () => {
      setPlaying(false);
      setIndex(at - 1);
    },
  };
}

export type Playback = ReturnType<typeof usePlayback>;
