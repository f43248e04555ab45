import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * The width of a container in CSS pixels, followed with a ResizeObserver, so a chart draws its SVG
 * at its real width (text keeps its size on a phone) instead of scaling a fixed viewBox. Before the
 * first measurement (and in Node, where there is no layout) it is `fallback`. Changes under 4 px
 * are ignored so a scrollbar appearing does not re-layout the chart in a loop.
 */
export function useWidth<T extends HTMLElement>(fallback = 560, min = 280): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const apply = (w: number) => {
      if (w > 0) setWidth((old) => (Math.abs(old - Math.max(min, w)) >= 4 ? Math.max(min, Math.floor(w)) : old));
    };
    apply(el.getBoundingClientRect().width);
    const ro = new ResizeObserver(([e]) => apply(e.contentRect.width));
    ro.observe(el);
    return () => ro.disconnect();
  }, [min]);
  return [ref, width];
}
