import { useMemo, useState } from 'react';
import { MAX_ITEMS, type Merged } from '../../interview/board';
import { decodeBoard } from '../../interview/share';
import type { Board, EvidenceItem } from '../../interview/types';
import { skipMessages } from '../../interview/validate';
import { download } from '../../ui/export';
import { findSession } from '../../interview/sessions';
import { embedSnippet } from '../links';
import { navigate } from '../router';
import { boardStore, useBoard } from './boardStore';
import { EvidenceCard } from './EvidenceCard';
import { exportHtml, exportMarkdown } from './exportBoard';
import { Presenter } from './Presenter';
import { boardLink, itemSearch } from './share';

function SnippetDialog({ item, onClose }: { item: EvidenceItem; onClose(): void }) {
  const snippet = embedSnippet(`GPU Playground: ${item.title}`, itemSearch(item));
  return (
    <div className="notice" role="dialog" aria-label="Embed snippet">
      <p>
        Paste this into a blog post: the widget opens {item.labTitle} in the state this item was pinned from and runs it
        live for the reader.
      </p>
      <textarea
        readOnly
        rows={7}
        value={snippet}
        aria-label="Embed snippet"
        onFocus={(e) => e.currentTarget.select()}
        data-testid="item-embed-snippet"
      />
      <button type="button" className="btn" onClick={onClose}>
        Close
      </button>
    </div>
  );
}

const names = (items: EvidenceItem[]) => {
  const shown = items.slice(0, 5).map((i) => `“${i.title}”`);
  return `${shown.join(', ')}${items.length > shown.length ? ` and ${items.length - shown.length} more` : ''}`;
};

/** What an add did, in words; when not everything fit, what did not and the choices left. */
function mergeMessage(m: Merged): string {
  if (m.refused.length)
    return `Your board holds at most ${MAX_ITEMS} items and has room for ${m.fits.length} more, so nothing was added. These ${m.refused.length} would not fit: ${names(m.refused)}. Add the ${m.fits.length} that fit, add items one by one below, or unpin some of yours first.`;
  const already = m.already ? ` ${m.already} ${m.already === 1 ? 'was' : 'were'} already on it.` : '';
  return m.added.length
    ? `Added ${m.added.length} item${m.added.length === 1 ? '' : 's'} to your board.${already}`
    : `Nothing to add:${already || ' no items.'}`;
}

/** The board from a share link: stored values, labelled as such, each with a way to re-run it here. */
function SharedBoard({ board, problems }: { board: Board; problems: string[] }) {
  const [presenting, setPresenting] = useState(false);
  const [result, setResult] = useState<Merged | null>(null);
  const merge = (only?: ReadonlySet<string>) => setResult(boardStore.getState().merge(board, only));
  const added = Boolean(
    result &&
    !result.refused.length &&
    !result.fits.length &&
    result.added.length + result.already === board.items.length,
  );
  return (
    <section className="shared-board" aria-label="Shared board" data-testid="shared-board">
      <h2>Shared evidence board</h2>
      <p className="muted">
        {board.items.length} item{board.items.length === 1 ? '' : 's'} from a link. Each shows the values stored when it
        was pinned, where and when (adapter and date beside it): nothing here was measured on this device. “Re-run”
        opens that lab state and measures or simulates it again here.
      </p>
      {problems.length ? (
        <div className="notice" role="status">
          {problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      ) : null}
      <div className="board-actions">
        <button type="button" className="btn" disabled={added} onClick={() => merge()}>
          {added ? 'Added to your board' : 'Add to my board'}
        </button>
        {result?.refused.length && result.fits.length ? (
          <button type="button" className="btn" onClick={() => merge(new Set(result.fits.map((i) => i.id)))}>
            Add the {result.fits.length} that fit
          </button>
        ) : null}
        <button type="button" className="btn" onClick={() => setPresenting(true)} disabled={!board.items.length}>
          Present
        </button>
      </div>
      {result ? (
        <p className="notice" role={result.refused.length ? 'alert' : 'status'} data-testid="merge-note">
          {mergeMessage(result)}
        </p>
      ) : null}
      {board.items.map((item, i) => (
        <EvidenceCard
          key={item.id}
          item={item}
          index={i}
          count={board.items.length}
          shared
          onAdd={() => merge(new Set([item.id]))}
        />
      ))}
      {presenting ? (
        <Presenter items={board.items} title="Shared evidence board" onClose={() => setPresenting(false)} shared />
      ) : null}
    </section>
  );
}

export function BoardPage() {
  const board = useBoard((s) => s.board);
  const loadProblems = useBoard((s) => s.loadProblems);
  const saveError = useBoard((s) => s.saveError);
  const unreadable = useBoard((s) => s.unreadable);
  const [exportNote, setExportNote] = useState<string[]>([]);
  const [presenting, setPresenting] = useState(false);
  const [snippetFor, setSnippetFor] = useState<EvidenceItem | null>(null);
  const [shareNote, setShareNote] = useState<string | null>(null);
  const shared = useMemo(() => decodeBoard(window.location.hash), []);
  const session = findSession(board.sessionId);
  const st = boardStore.getState();
  const title = session ? `Evidence: ${session.title}` : 'My evidence board';
  const opts = () => ({ title, appBase: window.location.href, question: session?.question });

  const share = async () => {
    const { url, chartsDropped } = boardLink(board);
    const extra = chartsDropped
      ? ' Charts were left out to keep the link short; their tables and parameters are in it.'
      : '';
    try {
      await navigator.clipboard.writeText(url);
      setShareNote(`Link copied.${extra}`);
    } catch {
      setShareNote(`Copy this link:${extra}`);
    }
    window.history.replaceState(null, '', url);
  };

  return (
    <div className="board-page">
      {shared ? (
        shared.ok ? (
          <SharedBoard board={shared.board} problems={skipMessages(shared.skipped)} />
        ) : (
          <div className="notice" role="alert" data-testid="shared-error">
            {shared.message}
          </div>
        )
      ) : null}
      <section aria-label="Your evidence board" data-testid="my-board">
        <h2>{title}</h2>
        {session ? (
          <p>
            Working on:{' '}
            <a
              href={`?interview=${session.id}`}
              onClick={(e) => (e.preventDefault(), navigate(`?interview=${session.id}`))}
            >
              {session.question}
            </a>
          </p>
        ) : null}
        <p className="muted">
          Pin any results table or chart from a lab (the Pin button beside it). The board lives in this browser,
          survives reloads, and travels as a link or as a self-contained HTML or Markdown hand-in.
        </p>
        {[...loadProblems, ...(saveError ? [saveError] : [])].length ? (
          <div className="notice" role="alert">
            {[...loadProblems, ...(saveError ? [saveError] : [])].map((p) => (
              <p key={p}>{p}</p>
            ))}
            {unreadable !== null ? (
              <p className="board-actions">
                <button
                  type="button"
                  className="btn"
                  onClick={() =>
                    download('unreadable-evidence-board.json', new Blob([unreadable], { type: 'application/json' }))
                  }
                >
                  Download the unreadable board
                </button>
                <button
                  type="button"
                  className="btn"
                  onClick={() =>
                    window.confirm(
                      'Discard the unreadable saved board for good and save the board on screen in its place?',
                    ) && st.discardUnreadable()
                  }
                >
                  Discard it and save
                </button>
              </p>
            ) : null}
          </div>
        ) : null}
        <div className="board-actions">
          <button type="button" className="btn" onClick={() => setPresenting(true)} disabled={!board.items.length}>
            Present
          </button>
          <button type="button" className="btn" onClick={() => void share()} disabled={!board.items.length}>
            Share link
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => setExportNote(exportHtml(board, opts()))}
            disabled={!board.items.length}
          >
            Export HTML
          </button>
          <button
            type="button"
            className="btn"
            onClick={() =>
              void exportMarkdown(board, opts()).then(setExportNote, (e: unknown) =>
                setExportNote([`The Markdown export failed: ${(e as Error).message}`]),
              )
            }
            disabled={!board.items.length}
          >
            Export Markdown + PNG
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => window.confirm('Unpin every item?') && st.clear()}
            disabled={!board.items.length}
          >
            Clear
          </button>
        </div>
        {exportNote.length ? (
          <div className="notice" role="alert" data-testid="export-note">
            <p>Exported, but not everything could be included:</p>
            {exportNote.map((p) => (
              <p key={p}>{p}</p>
            ))}
          </div>
        ) : null}
        {shareNote ? (
          <p className="notice" role="status" data-testid="share-note">
            {shareNote}{' '}
            <input
              readOnly
              value={window.location.href}
              aria-label="Share link"
              onFocus={(e) => e.currentTarget.select()}
            />
          </p>
        ) : null}
        {snippetFor ? <SnippetDialog item={snippetFor} onClose={() => setSnippetFor(null)} /> : null}
        {board.items.length ? (
          board.items.map((item, i) => (
            <EvidenceCard
              key={item.id}
              item={item}
              index={i}
              count={board.items.length}
              onMove={(d) => st.move(item.id, d)}
              onRemove={() => st.unpin(item.id)}
              onNote={(t) => st.note(item.id, t)}
              onEmbed={() => setSnippetFor(item)}
            />
          ))
        ) : (
          <p className="muted">Nothing pinned yet.</p>
        )}
      </section>
      {presenting ? <Presenter items={board.items} title={title} onClose={() => setPresenting(false)} /> : null}
    </div>
  );
}
