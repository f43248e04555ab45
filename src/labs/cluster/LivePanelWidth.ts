import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * The width of a chart's container, so the live and precision charts draw in real pixels (text
 * stays readable at 390 px instead of a 640-wide drawing scaled down).
 */
export function useChartWidth<T extends HTMLElement>(fallback = 640): [RefObject<T | null>, number] {
  const ref = useRef<T | null>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([e]) => setWidth(Math.max(280, Math.min(960, Math.round(e.contentRect.width)))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}
