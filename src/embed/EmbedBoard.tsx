import { decodeBoard } from '../interview/share';
import { skipMessages } from '../interview/validate';
import { Presenter } from '../app/interview/Presenter';
import '../app/interview/interview.css';

/**
 * `embed.html?board#board=…`: a shared evidence board as slides inside a blog post or a talk. The
 * board is read from the fragment (never sent to a server) and shown as stored, labelled as such.
 */
export default function EmbedBoard() {
  const parsed = decodeBoard(window.location.hash);
  if (!parsed)
    return (
      <p className="notice" role="status">
        This widget shows a shared evidence board: the link needs its <code>#board=…</code> part.
      </p>
    );
  if (!parsed.ok)
    return (
      <p className="notice" role="alert">
        {parsed.message}
      </p>
    );
  return (
    <>
      {parsed.skipped.length ? (
        <div className="notice" role="status">
          {skipMessages(parsed.skipped).map((d) => (
            <p key={d}>{d}</p>
          ))}
        </div>
      ) : null}
      <Presenter items={parsed.board.items} title="Evidence board (stored values from the link)" inline shared />
    </>
  );
}
