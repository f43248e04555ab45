import { useMemo, useState } from 'react';
import { decodeBoard } from '../../interview/share';
import type { Board, EvidenceItem } from '../../interview/types';
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
      <p>Paste this into a blog post: the widget opens {item.labTitle} in the state this item was pinned from and runs it live for the reader.</p>
      <textarea readOnly rows={7} value={snippet} aria-label="Embed snippet" onFocus={(e) => e.currentTarget.select()} data-testid="item-embed-snippet" />
      <button type="button" className="btn" onClick={onClose}>
        Close
      </button>
    </div>
  );
}

/** The board from a share link: stored values, labelled as such, each with a way to re-run it here. */
function SharedBoard({ board, problems }: { board: Board; problems: string[] }) {
  const [presenting, setPresenting] = useState(false);
  const [added, setAdded] = useState(false);
  return (
    <section className="shared-board" aria-label="Shared board" data-testid="shared-board">
      <h2>Shared evidence board</h2>
      <p className="muted">
        {board.items.length} item{board.items.length === 1 ? '' : 's'} from a link. Each shows the values stored when it was pinned (adapter and date
        beside it); “Re-run” opens that lab state and measures or simulates it again here.
      </p>
      {problems.length ? (
        <div className="notice" role="status">
          {problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      ) : null}
      <div className="board-actions">
        <button type="button" className="btn" disabled={added} onClick={() => (boardStore.getState().merge(board), setAdded(true))}>
          {added ? 'Added to your board' : 'Add to my board'}
        </button>
        <button type="button" className="btn" onClick={() => setPresenting(true)} disabled={!board.items.length}>
          Present
        </button>
      </div>
      {board.items.map((item, i) => (
        <EvidenceCard key={item.id} item={item} index={i} count={board.items.length} shared />
      ))}
      {presenting ? <Presenter items={board.items} title="Shared evidence board" onClose={() => setPresenting(false)} /> : null}
    </section>
  );
}

export function BoardPage() {
  const board = useBoard((s) => s.board);
  const loadProblems = useBoard((s) => s.loadProblems);
  const saveError = useBoard((s) => s.saveError);
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
    const extra = chartsDropped ? ' Charts were left out to keep the link short; their tables and parameters are in it.' : '';
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
      {shared ? shared.ok ? <SharedBoard board={shared.board} problems={shared.dropped.map((d) => `Skipped an item: ${d}.`)} /> : <div className="notice" role="alert">{shared.message}</div> : null}
      <section aria-label="Your evidence board" data-testid="my-board">
        <h2>{title}</h2>
        {session ? (
          <p>
            Working on: <a href={`?interview=${session.id}`} onClick={(e) => (e.preventDefault(), navigate(`?interview=${session.id}`))}>{session.question}</a>
          </p>
        ) : null}
        <p className="muted">
          Pin any results table or chart from a lab (the Pin button beside it). The board lives in this browser, survives reloads, and travels as a link
          or as a self-contained HTML or Markdown hand-in.
        </p>
        {[...loadProblems, ...(saveError ? [saveError] : [])].length ? (
          <div className="notice" role="alert">
            {[...loadProblems, ...(saveError ? [saveError] : [])].map((p) => (
              <p key={p}>{p}</p>
            ))}
          </div>
        ) : null}
        <div className="board-actions">
          <button type="button" className="btn" onClick={() => setPresenting(true)} disabled={!board.items.length}>
            Present
          </button>
          <button type="button" className="btn" onClick={() => void share()} disabled={!board.items.length}>
            Share link
          </button>
          <button type="button" className="btn" onClick={() => exportHtml(board, opts())} disabled={!board.items.length}>
            Export HTML
          </button>
          <button type="button" className="btn" onClick={() => void exportMarkdown(board, opts())} disabled={!board.items.length}>
            Export Markdown + PNG
          </button>
          <button type="button" className="btn" onClick={() => window.confirm('Unpin every item?') && st.clear()} disabled={!board.items.length}>
            Clear
          </button>
        </div>
        {shareNote ? (
          <p className="notice" role="status" data-testid="share-note">
            {shareNote} <input readOnly value={window.location.href} aria-label="Share link" onFocus={(e) => e.currentTarget.select()} />
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
