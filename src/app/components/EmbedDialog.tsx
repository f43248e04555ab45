import { useEffect, useRef, useState } from 'react';
import { findScenario } from '../../scenarios';
import { embedSnippet, embedUrl } from '../links';

/** The "Embed" button's dialog: the iframe snippet for the current view, ready to copy. */
export function EmbedDialog({ title, onClose }: { title: string; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [copied, setCopied] = useState(false);
  // In a scenario the frame is named after the scenario, which is what the reader sees in it.
  const scenario = findScenario(new URLSearchParams(window.location.search).get('scenario'));
  const snippet = embedSnippet(scenario ? `GPU Playground: ${scenario.title}` : title);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal?.();
  }, []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet);
      setCopied(true);
    } catch {
      // Clipboard refused (permissions, insecure page): the text stays selectable below.
      setCopied(false);
    }
  };
  return (
    <dialog
      ref={ref}
      className="embed-dialog"
      aria-labelledby="embed-dialog-title"
      onClose={onClose}
      onCancel={onClose}
    >
      <h3 id="embed-dialog-title">Embed this view</h3>
      <p className="muted">
        Paste into a page. The widget runs live where WebGPU exists and replays recorded kernel results where it does
        not. The script lets the frame fit its content; it accepts height messages only from the widget’s origin.
      </p>
      <textarea
        readOnly
        value={snippet}
        rows={9}
        aria-label="Embed snippet"
        onFocus={(e) => e.currentTarget.select()}
        data-testid="embed-snippet"
      />
      <p>
        <a href={embedUrl()} target="_blank" rel="noopener">
          Preview the widget
        </a>
      </p>
      <div className="embed-dialog-actions">
        <button type="button" className="btn" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy snippet'}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}
