import type { ComponentType } from 'react';
import { discoverThumbs } from '../labkit/discover';
import { TOUR_TOPIC } from '../scenarios/topics';

/** Each lab's gallery drawing (`src/labs/<id>/thumb.tsx`, default export), by lab id. */
const THUMBS: Map<string, ComponentType> = discoverThumbs(import.meta.glob('../labs/*/thumb.tsx', { eager: true }));

/**
 * A small drawing per topic for the gallery: the shape of the idea (a roofline, tiles, a causal
 * score matrix, a block map, worker lanes), in the shared colours, so cards are told apart at a
 * glance. The frame is the shell's; the drawing inside is the lab's own thumb.tsx.
 */
export function TopicThumb({ topic }: { topic: string }) {
  const Drawing = THUMBS.get(topic);
  return (
    <svg className="thumb" viewBox="0 0 120 64" role="img" aria-label={`${topic} illustration`}>
      <rect width="120" height="64" rx="6" className="thumb-bg" />
      {Drawing ? <Drawing /> : topic === TOUR_TOPIC ? <Tour /> : null}
    </svg>
  );
}

/** Tours across labs: data → compute → the roofline, joined by dashed hand-offs. */
function Tour() {
  return (
    <>
      <rect x="8" y="22" width="28" height="20" rx="3" className="thumb-hbm-fill" />
      <rect x="46" y="22" width="28" height="20" rx="3" className="thumb-compute-fill" />
      <path d="M84 52 L98 18 L114 18" className="thumb-roof" />
      <path d="M36 32 H46 M74 32 H84" className="thumb-dash" />
    </>
  );
}
