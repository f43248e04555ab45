import { useEffect, useRef, useState } from 'react';
import { itemProvenance } from '../../interview/exportHtml';
import type { EvidenceItem } from '../../interview/types';
import { EvidenceChart, EvidenceTableView, paramsLine } from './EvidenceCard';

/**
 * Presenter mode: one pinned item at a time in large type, for a screen-shared interview or a talk.
 * → ↓ PageDown Space: next; ← ↑ PageUp: previous; Home/End: first/last; Esc: leave.
 */
export function Presenter({
  items,
  title,
  onClose,
  start = 0,
  inline = false,
  shared = false,
}: {
  items: EvidenceItem[];
  title: string;
  /** Absent for an inline presenter that cannot be left (the embed). */
  onClose?(): void;
  start?: number;
  /** In a page (the embed) instead of over it: no automatic full screen. */
  inline?: boolean;
  /** Items from a share link: their provenance says they were not measured here. */
  shared?: boolean;
}) {
  const [i, setI] = useState(Math.min(start, Math.max(0, items.length - 1)));
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    el?.focus();
    // Full screen where the browser allows it; the overlay already covers the page where it does not.
    if (!inline) el?.requestFullscreen?.().catch(() => undefined);
    // The page behind an overlay must not scroll under the slides.
    const overflow = document.body.style.overflow;
    if (!inline) document.body.style.overflow = 'hidden';
    return () => {
      document.body.style.overflow = overflow;
      if (document.fullscreenElement) void document.exitFullscreen?.().catch(() => undefined);
    };
  }, [inline]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const last = items.length - 1;
      if (['ArrowRight', 'ArrowDown', 'PageDown', ' '].includes(e.key)) setI((x) => Math.min(last, x + 1));
      else if (['ArrowLeft', 'ArrowUp', 'PageUp'].includes(e.key)) setI((x) => Math.max(0, x - 1));
      else if (e.key === 'Home') setI(0);
      else if (e.key === 'End') setI(last);
      else if (e.key === 'Escape' && onClose) onClose();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items.length, onClose]);
  // Leaving full screen with the browser's own Esc also leaves presenter mode.
  useEffect(() => {
    const onFs = () => {
      if (!document.fullscreenElement && ref.current?.dataset.wasFullscreen) onClose?.();
      if (document.fullscreenElement && ref.current) ref.current.dataset.wasFullscreen = '1';
    };
    document.addEventListener('fullscreenchange', onFs);
    return () => document.removeEventListener('fullscreenchange', onFs);
  }, [onClose]);
  const item = items[i];
  return (
    <div
      ref={ref}
      className={inline ? 'presenter presenter-inline' : 'presenter'}
      role={inline ? 'region' : 'dialog'}
      aria-modal={inline ? undefined : true}
      aria-label={`Presenter: ${title}`}
      tabIndex={-1}
      data-testid="presenter"
    >
      <header className="presenter-head">
        <span>{title}</span>
        <span aria-live="polite" data-testid="presenter-position">
          {items.length ? `${i + 1} / ${items.length}` : '0 / 0'}
        </span>
        {onClose ? (
          <button type="button" className="btn" onClick={onClose}>
            Exit (Esc)
          </button>
        ) : (
          <button
            type="button"
            className="btn"
            onClick={() => void ref.current?.requestFullscreen?.().catch(() => undefined)}
          >
            Full screen
          </button>
        )}
      </header>
      {item ? (
        <section className="presenter-body" aria-live="polite">
          <h2>{item.title}</h2>
          <p className="presenter-meta">{itemProvenance(item, shared)}</p>
          {item.kind === 'chart' ? <EvidenceChart item={item} className="presenter-chart" /> : null}
          <EvidenceTableView item={item} />
          {item.note ? <blockquote>{item.note}</blockquote> : null}
          <p className="presenter-meta">Parameters: {paramsLine(item) || 'defaults'}</p>
        </section>
      ) : (
        <section className="presenter-body">
          <h2>Nothing pinned yet</h2>
          <p>Pin a results table or a chart in any lab; it appears here.</p>
        </section>
      )}
      <nav className="presenter-nav" aria-label="Slides">
        <button type="button" className="btn" disabled={i === 0} onClick={() => setI(i - 1)}>
          ← Previous
        </button>
        <button type="button" className="btn" disabled={i >= items.length - 1} onClick={() => setI(i + 1)}>
          Next →
        </button>
      </nav>
    </div>
  );
}
