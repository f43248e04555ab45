import { useRef, useState, useSyncExternalStore } from 'react';
import { MAX_TRACE_BYTES, MAX_TRACE_REQUESTS } from '../../sim/kvcache';
import { getTrace, loadTrace, subscribeTrace } from './traceStore';

/**
 * Drop zone and file input for a request trace. A bad file shows what is wrong (line and field)
 * and leaves the current trace and every parameter as they were.
 */
export function TraceInput({ onLoaded }: { onLoaded(): void }) {
  const trace = useSyncExternalStore(subscribeTrace, getTrace);
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const read = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_TRACE_BYTES) {
      setError(
        `${file.name} is ${(file.size / 2 ** 20).toFixed(1)} MiB; the limit is ${MAX_TRACE_BYTES / 2 ** 20} MiB. The previous trace is kept.`,
      );
      return;
    }
    try {
      loadTrace(file.name, await file.text());
      setError(null);
      onLoaded();
    } catch (e) {
      setError(`${file.name}: ${(e as Error).message} The previous trace is kept.`);
    }
  };

  return (
    <div
      className={`kv-drop ${over ? 'kv-drop-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        void read(e.dataTransfer.files[0]);
      }}
    >
      <p>
        <strong>Trace file</strong>: drop a JSON or CSV file here or{' '}
        <button type="button" className="btn btn-small" onClick={() => input.current?.click()}>
          choose a file
        </button>
        <input
          ref={input}
          type="file"
          accept=".json,.csv,text/csv,application/json"
          hidden
          aria-label="Trace file"
          onChange={(e) => void read(e.target.files?.[0])}
        />
      </p>
      <p className="muted kv-drop-help">
        Columns <code>arrival</code> (s), <code>prompt</code>, <code>output</code> (tokens), optional{' '}
        <code>max_tokens</code>; up to {MAX_TRACE_REQUESTS.toLocaleString('en-US')} requests,{' '}
        {MAX_TRACE_BYTES / 2 ** 20} MiB. Then pick “Trace file” as the workload.
      </p>
      {trace ? (
        <p className="kv-drop-loaded" data-testid="kv-trace-loaded">
          Loaded <code>{trace.name}</code>: {trace.requests.length.toLocaleString('en-US')} requests.
        </p>
      ) : null}
      {error ? (
        <p className="error-text" role="alert" data-testid="kv-trace-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
