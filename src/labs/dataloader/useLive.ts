import { useEffect, useRef, useState } from 'react';
import { liveFeed, type LiveState } from './liveFeed';

/**
 * The live feed, re-read at most once per animation frame however many spans arrive: the page
 * keeps its frame rate while workers stream results.
 */
export function useLiveFeed(minIntervalMs = 100): LiveState {
  const [snap, setSnap] = useState<LiveState>(() => ({ ...liveFeed.get() }));
  useEffect(() => {
    let raf = 0;
    let last = 0;
    // Redrawing the timeline costs milliseconds; ten redraws a second look live and leave the
    // other frames to scrolling and input.
    const frame = (now: number) => {
      const s = liveFeed.get();
      if (s.running && now - last < minIntervalMs) {
        raf = requestAnimationFrame(frame);
        return;
      }
      raf = 0;
      last = now;
      setSnap({ ...s });
    };
    const unsub = liveFeed.subscribe(() => {
      if (!raf) raf = requestAnimationFrame(frame);
    });
    return () => {
      unsub();
      if (raf) cancelAnimationFrame(raf);
    };
  }, [minIntervalMs]);
  return snap;
}

export const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100];

/** The slowest speed (in multiples of real time) that plays the whole trace in about 6 s. */
export function fitSpeed(endMs: number): number {
  return SPEEDS.find((s) => endMs / s <= 6000) ?? SPEEDS[SPEEDS.length - 1];
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
  const [speed, setSpeed] = useState(() => fitSpeed(endMs));
  useEffect(() => {
    setT(reduced ? endMs : 0);
    setPlaying(!reduced);
    setSpeed(fitSpeed(endMs));
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
  }, [playing, speed, endMs]);
  return { t, setT, playing, setPlaying, speed, setSpeed };
}
