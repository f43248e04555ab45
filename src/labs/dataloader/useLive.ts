import { useEffect, useRef, useState } from 'react';
import { liveFeed, type LiveState } from './liveFeed';

/**
 * The live feed, re-read at most once per animation frame however many spans arrive: the page
 * keeps its frame rate while workers stream results.
 */
export function useLiveFeed(): LiveState {
  const [snap, setSnap] = useState<LiveState>(() => ({ ...liveFeed.get() }));
  useEffect(() => {
    let raf = 0;
    const unsub = liveFeed.subscribe(() => {
      if (raf) return;
      raf = requestAnimationFrame(() => {
        raf = 0;
        setSnap({ ...liveFeed.get() });
      });
    });
    return () => {
      unsub();
      if (raf) cancelAnimationFrame(raf);
    };
  }, []);
  return snap;
}

/** A playhead over a finished trace: play/pause/step and speed; starts paused under reduced motion. */
export function usePlayback(endMs: number, key: unknown) {
  const reduced = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  const [t, setTState] = useState(reduced ? endMs : 0);
  const tRef = useRef(t);
  const setT = (v: number) => {
    tRef.current = v;
    setTState(v);
  };
  const [playing, setPlaying] = useState(!reduced);
  const [speed, setSpeed] = useState(0.5);
  useEffect(() => {
    setT(reduced ? endMs : 0);
    setPlaying(!reduced);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, endMs, reduced]);
  useEffect(() => {
    if (!playing) return;
    let raf = 0;
    let last = performance.now();
    const tick = (now: number) => {
      const dt = (now - last) * speed;
      last = now;
      const next = Math.min(endMs, tRef.current + dt);
      setT(next);
      if (next >= endMs) setPlaying(false);
      else raf = requestAnimationFrame(tick);
    };
    if (tRef.current >= endMs) setT(0);
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [playing, speed, endMs]);
  return { t, setT, playing, setPlaying, speed, setSpeed };
}
