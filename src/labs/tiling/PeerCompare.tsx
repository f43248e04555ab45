import { useEffect, useRef, useState } from 'react';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { fmtGflops, fmtMs, fmtRatio } from '../../ui/format';
import { errorMessage, isAbortError } from '../../gpu/errors';
import type { MatmulDims } from '../../kernels/matmul/types';
import type { PeerRun } from './compare';
import type { VariantRun } from './run';

interface State {
  status: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  rows: PeerRun[];
  key: string;
  progress: string;
  error: string | null;
}

const dimsKey = (d: MatmulDims | null) => (d ? `${d.M}×${d.N}×${d.K}` : '');

/**
 * "Compare with libraries": TensorFlow.js and onnxruntime-web run the same product on this adapter.
 * The peers and their loaders are imported only when asked, so they stay out of the lab's chunk.
 */
export function PeerCompare({ dims, ours }: { dims: MatmulDims | null; ours: VariantRun | null }) {
  const [st, setSt] = useState<State>({ status: 'idle', rows: [], key: '', progress: '', error: null });
  const ctrl = useRef<AbortController | null>(null);
  useEffect(() => () => ctrl.current?.abort(), []);
  const key = dimsKey(dims);
  const stale = st.status === 'done' && st.key !== key;

  const start = async () => {
    if (!dims) return;
    ctrl.current?.abort();
    const c = new AbortController();
    ctrl.current = c;
    setSt({ status: 'running', rows: [], key, progress: 'loading the libraries', error: null });
    try {
      const { comparePeers } = await import('./compare');
      const rows = await comparePeers(dims, { warmup: 1, samples: 5, maxRepeats: 32, signal: c.signal }, (_f, text) => {
        if (ctrl.current === c) setSt((s) => ({ ...s, progress: text }));
      });
      if (ctrl.current === c) setSt({ status: 'done', rows, key, progress: '', error: null });
    } catch (e) {
      if (ctrl.current !== c) return;
      setSt({
        status: isAbortError(e) || c.signal.aborted ? 'cancelled' : 'error',
        rows: [],
        key,
        progress: '',
        error: errorMessage(e),
      });
    }
  };

  const columns: Column<PeerRun>[] = [
    { key: 'lib', label: 'Library', render: (r) => `${r.label}${r.version ? ` ${r.version}` : ''}` },
    {
      key: 'time',
      label: 'Median',
      unit: 'time',
      render: (r) => (r.medianMs === null ? '—' : fmtMs(r.medianMs)),
      value: (r) => r.medianMs ?? '',
    },
    {
      key: 'rate',
      label: 'Compute',
      render: (r) => (r.gflopPerS === null ? '—' : fmtGflops(r.gflopPerS)),
      value: (r) => r.gflopPerS ?? '',
    },
    {
      key: 'ratio',
      label: 'Yours ÷ theirs',
      render: (r) => (r.gflopPerS && ours ? fmtRatio(ours.gflopPerS / r.gflopPerS) : '—'),
      value: (r) => (r.gflopPerS && ours ? ours.gflopPerS / r.gflopPerS : ''),
    },
    { key: 'err', label: 'Relative error', render: (r) => (r.relError === null ? '—' : r.relError.toExponential(1)) },
    { key: 'note', label: 'Note', render: (r) => r.error ?? r.timing ?? '' },
  ];

  return (
    <section className="peer-compare" aria-label="Comparison with libraries">
      <div className="sweep-bar">
        {st.status === 'running' ? (
          <>
            <button
              type="button"
              className="btn btn-stop"
              onClick={() => ctrl.current?.abort(new DOMException('Cancelled by the user', 'AbortError'))}
            >
              Cancel comparison
            </button>
            <span className="muted">{st.progress}</span>
          </>
        ) : (
          <button type="button" className="btn" disabled={!dims} onClick={() => void start()}>
            Compare with libraries
          </button>
        )}
        {st.status === 'cancelled' ? <span className="muted">Comparison cancelled.</span> : null}
        {st.status === 'error' ? <span className="error-text">{st.error}</span> : null}
      </div>
      {st.status === 'done' ? (
        <ResultsTable
          caption={`Libraries on this adapter, ${st.key}${ours ? ` (yours: ${fmtGflops(ours.gflopPerS)}, ${ours.label})` : ''}`}
          columns={columns}
          rows={st.rows}
          stale={stale}
          rowKey={(r) => r.impl}
          name="tiling-peers"
        />
      ) : null}
    </section>
  );
}
