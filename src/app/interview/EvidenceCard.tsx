import { useMemo, useState } from 'react';
import { itemLink, itemProvenance } from '../../interview/exportHtml';
import { sanitizeSvgImage } from '../../interview/svgSafe';
import type { EvidenceItem } from '../../interview/types';

/** A chart as an <img>: SVG inside an image cannot run script or load anything, whatever a link carried. */
export function EvidenceChart({ item, className }: { item: EvidenceItem; className?: string }) {
  const src = useMemo(() => {
    let svg: string | null;
    try {
      svg = item.svg ? sanitizeSvgImage(item.svg) : null;
    } catch {
      svg = null;
    }
    return svg ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` : null;
  }, [item.svg]);
  if (!src)
    return item.svg ? <p className="notice">This chart could not be shown (its picture is not valid SVG).</p> : null;
  return (
    <img
      className={className ?? 'evidence-chart'}
      src={src}
      alt={`${item.title} (chart pinned from ${item.labTitle})`}
    />
  );
}

export function EvidenceTableView({ item }: { item: EvidenceItem }) {
  if (!item.table) return null;
  return (
    <div className="results-wrap">
      <table className="results">
        <caption>{item.title}</caption>
        <thead>
          <tr>
            {item.table.columns.map((c, i) => (
              <th key={i} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {item.table.rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function paramsLine(item: EvidenceItem): string {
  return Object.entries(item.params)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
}

interface CardProps {
  item: EvidenceItem;
  index: number;
  count: number;
  /** Stored values from a share link: labelled as such, with a way to re-run them live. */
  shared?: boolean;
  onMove?(delta: number): void;
  onRemove?(): void;
  onNote?(text: string): void;
  onEmbed?(): void;
  /** A shared item: add just this one to the user's board. */
  onAdd?(): void;
}

export function EvidenceCard({ item, index, count, shared, onMove, onRemove, onNote, onEmbed, onAdd }: CardProps) {
  const [draft, setDraft] = useState(item.note ?? '');
  const rerun = itemLink(item, window.location.href);
  return (
    <article
      className={`evidence-card source-${item.source}`}
      data-testid="evidence-item"
      aria-label={`${index + 1}. ${item.title}`}
    >
      <header>
        <h3>
          {index + 1}. {item.title}
        </h3>
        <p className="muted evidence-provenance">{itemProvenance(item, shared)}</p>
        <p className="muted evidence-params">Parameters: {paramsLine(item) || 'the lab’s defaults'}</p>
      </header>
      {item.kind === 'chart' ? <EvidenceChart item={item} /> : null}
      <EvidenceTableView item={item} />
      {onNote ? (
        <label className="evidence-note">
          Your note
          <textarea
            value={draft}
            rows={2}
            maxLength={4000}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={() => draft !== (item.note ?? '') && onNote(draft)}
          />
        </label>
      ) : item.note ? (
        <blockquote>{item.note}</blockquote>
      ) : null}
      <footer className="evidence-actions">
        <a className="btn btn-small" href={rerun}>
          {item.source === 'simulated'
            ? 'Re-run live'
            : item.source === 'measured'
              ? 'Re-run on this device'
              : 'Open this state'}
        </a>
        {onAdd ? (
          <button type="button" className="btn btn-small" onClick={onAdd} aria-label={`Add ${item.title} to my board`}>
            Add this item
          </button>
        ) : null}
        {onEmbed ? (
          <button type="button" className="btn btn-small" onClick={onEmbed}>
            Embed
          </button>
        ) : null}
        {onMove ? (
          <>
            <button
              type="button"
              className="btn btn-small"
              disabled={index === 0}
              onClick={() => onMove(-1)}
              aria-label={`Move ${item.title} up`}
            >
              ↑
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={index === count - 1}
              onClick={() => onMove(1)}
              aria-label={`Move ${item.title} down`}
            >
              ↓
            </button>
          </>
        ) : null}
        {onRemove ? (
          <button type="button" className="btn btn-small" onClick={onRemove} aria-label={`Unpin ${item.title}`}>
            Unpin
          </button>
        ) : null}
      </footer>
    </article>
  );
}
