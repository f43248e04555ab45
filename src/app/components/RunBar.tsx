import type { LabEntry } from '../../labs/registry';
import { cancelLab, runLab } from '../labRunner';
import { useLabResult } from '../labState';
import { useApp } from '../../store';
import { useState } from 'react';
import { appUrl } from '../links';
import { EmbedDialog } from './EmbedDialog';

/** Run/stop, progress and Share in the same spot in every lab. */
export function RunBar({ entry }: { entry: LabEntry }) {
  const result = useLabResult(entry.id);
  const toast = useApp((s) => s.toast);
  const [copied, setCopied] = useState(false);
  const [embedding, setEmbedding] = useState(false);
  const running = result.status === 'running';
  const share = async () => {
    // From inside an embed, Share hands out the full app's link to the same state.
    const url = appUrl();
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      toast('info', `Copy this link: ${url}`);
    }
  };
  return (
    <div className="run-bar">
      {running ? (
        <button type="button" className="btn btn-stop" onClick={() => cancelLab(entry.id)}>
          Stop
        </button>
      ) : entry.runButton === 'view' ? null : (
        <button type="button" className="btn btn-run" onClick={() => void runLab(entry)}>
          Run
        </button>
      )}
      <button type="button" className="btn" onClick={() => void share()}>
        {copied ? 'Link copied' : 'Share'}
      </button>
      <button type="button" className="btn" onClick={() => setEmbedding(true)} aria-haspopup="dialog">
        Embed
      </button>
      {embedding ? <EmbedDialog title={`GPU Playground: ${entry.title}`} onClose={() => setEmbedding(false)} /> : null}
      {running ? (
        <span
          className="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(result.progress * 100)}
        >
          <span className="progress-fill" style={{ width: `${Math.round(result.progress * 100)}%` }} />
          <span className="progress-text">{result.progressText || 'running…'}</span>
        </span>
      ) : null}
      {result.status === 'cancelled' ? (
        <span className="muted">Run cancelled; earlier results are not shown as current.</span>
      ) : null}
      {result.status === 'error' ? (
        <p className="error-text" role="alert">
          {result.error}
        </p>
      ) : null}
    </div>
  );
}
