import { useEffect, useState } from 'react';
import { parseTrace } from '../../sim/kvcache/traceParse';
import { onServingTrace, servingTrace, setServingTrace } from './traceStore';

/** Drop or pick a JSON/CSV trace (arrival, prompt, output[, max_tokens]); errors name the line and field. */
export function TraceBox({ active, onLoaded }: { active: boolean; onLoaded(): void }) {
  const [, bump] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => onServingTrace(() => bump((x) => x + 1)), []);
  const t = servingTrace();
  const load = async (file: File) => {
    try {
      const text = await file.text();
      const requests = parseTrace(text, 1 << 20);
      setServingTrace({ name: file.name, requests });
      setError(null);
      onLoaded();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div
      className={`srv-trace${active ? ' srv-trace-active' : ''}`}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        const f = e.dataTransfer.files[0];
        if (f) void load(f);
      }}
    >
      <label>
        Trace file (JSON or CSV with arrival, prompt, output):{' '}
        <input
          type="file"
          accept=".json,.csv,text/csv,application/json"
          onChange={(e) => e.target.files?.[0] && void load(e.target.files[0])}
        />
      </label>
      {t ? (
        <span className="muted">
          {' '}
          Loaded {t.name}: {t.requests.length.toLocaleString('en-US')} requests
          {active ? '' : ' (pick “Trace file” arrivals to use it)'}.
        </span>
      ) : null}
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
