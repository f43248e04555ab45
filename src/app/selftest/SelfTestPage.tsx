import { useEffect, useMemo, useRef, useState } from 'react';
import { errorMessage } from '../../gpu/errors';
import {
  decodeReport,
  encodeReport,
  FAMILIES,
  FAMILY_LABELS,
  isFamily,
  type Family,
  runSelfTest,
  selfTestCases,
  summarise,
  type SelfTestReport,
  type VariantResult,
} from '../../selftest';
import { appStore, useApp } from '../../store';
import { download } from '../../ui/export';
import { getRuntime } from '../gpuService';
import { appUrl } from '../links';
import { navigate, useSearch } from '../router';
import { AdapterFacts, ResultsRows, Summary } from './ReportView';
import './selftest.css';

/** The app's version and commit as the build saw them (vite.config.ts sets VITE_APP_*). */
const APP = {
  name: 'gpu-playground',
  version: String(import.meta.env.VITE_APP_VERSION ?? 'unknown'),
  commit: (import.meta.env.VITE_APP_COMMIT as string | undefined) || null,
};

/** The link to a report: this page with the compressed report in the fragment (never sent to a server). */
export function reportLink(r: SelfTestReport): string {
  return `${appUrl('?selftest')}#report=${encodeReport(r)}`;
}

function SharedReport({ report }: { report: SelfTestReport }) {
  return (
    <section aria-labelledby="shared-report-title" data-testid="selftest-shared">
      <h2 id="shared-report-title">A shared report</h2>
      <p className="notice" role="note">
        This report was made on someone else&rsquo;s GPU on {report.startedAt.slice(0, 10)} and opened from a link;
        nothing here ran on yours.{' '}
        <a
          href="?selftest"
          onClick={(e) => {
            e.preventDefault();
            window.history.replaceState(null, '', appUrl('?selftest'));
            navigate('?selftest');
            window.dispatchEvent(new HashChangeEvent('hashchange'));
          }}
        >
          Check my own GPU
        </a>
      </p>
      <AdapterFacts report={report} />
      <Summary report={report} />
      <ResultsRows results={report.results} caption="Each kernel variant of the shared report" />
    </section>
  );
}

type Phase = { kind: 'idle' } | { kind: 'running'; done: number; total: number; current: string } | { kind: 'done' };

/** `&family=matmul,decode` picks kernel families (all by default); unknown names are said, not silently dropped. */
export function parseFamilies(search: string): { families: Family[]; notice: string | null } {
  const raw = new URLSearchParams(search).get('family');
  if (raw === null) return { families: [...FAMILIES], notice: null };
  const asked = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = asked.filter(isFamily);
  const unknown = asked.filter((f) => !isFamily(f));
  return {
    families: known.length ? known : [...FAMILIES],
    notice: unknown.length
      ? `Unknown kernel famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.map((u) => JSON.stringify(u.slice(0, 40))).join(', ')} ignored; the families are ${FAMILIES.join(', ')}.`
      : null,
  };
}

function OwnCheck() {
  const { families, notice } = parseFamilies(useSearch());
  const gpuStatus = useApp((s) => s.gpuStatus);
  const gpuError = useApp((s) => s.gpuError);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [rows, setRows] = useState<VariantResult[]>([]);
  const [report, setReport] = useState<SelfTestReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const familyKey = families.join(',');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- familyKey stands for the list
  const total = useMemo(() => selfTestCases(families).length, [familyKey]);
  useEffect(() => () => abort.current?.abort(), []);

  const run = async () => {
    setProblem(null);
    setNote(null);
    setReport(null);
    setRows([]);
    const rt = await getRuntime();
    if (!rt) {
      setProblem(appStore.getState().gpuError?.message ?? 'WebGPU is not available in this browser.');
      return;
    }
    const ctl = new AbortController();
    abort.current = ctl;
    setPhase({ kind: 'running', done: 0, total, current: '' });
    try {
      const r = await runSelfTest(rt, {
        app: APP,
        environment: navigator.userAgent,
        families,
        signal: ctl.signal,
        onStart: (c, i, n) => setPhase({ kind: 'running', done: i, total: n, current: `${c.family}/${c.variant}` }),
        onResult: (res) => setRows((old) => [...old, res]),
      });
      setReport(r);
      if (ctl.signal.aborted)
        setNote(`Stopped after ${r.results.length} of ${total} variants; the report covers those.`);
    } catch (e) {
      setProblem(`The self-test stopped: ${errorMessage(e)}`);
    } finally {
      abort.current = null;
      setPhase({ kind: 'done' });
    }
  };

  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setNote(`${what} copied.`);
    } catch {
      setNote(`This browser refused the clipboard; use Download instead.`);
    }
  };
  const json = report ? JSON.stringify(report, null, 2) : '';
  const running = phase.kind === 'running';
  const live = report ?? null;

  return (
    <section aria-labelledby="own-check-title">
      <h2 id="own-check-title">Check my GPU</h2>
      <p>
        Runs every kernel of the labs (each matmul rung, tiled and textbook attention, paged decode attention, every
        quantized GEMV format, the training kernels, activation and precision) once on small, deliberately ragged shapes
        on your GPU, and compares each output with a float64 reference computed here on the CPU. Variants that need a
        feature your adapter lacks (shader-f16, subgroups) are listed as skipped, with the reason. The report is what we
        need to reproduce a failure: share it as a link or a file.
      </p>
      <p data-testid="selftest-scope">
        {families.length === FAMILIES.length
          ? `${total} variants in ${FAMILIES.length} families: ${FAMILIES.map((f) => FAMILY_LABELS[f]).join('; ')}.`
          : `${total} variants of ${families.map((f) => FAMILY_LABELS[f]).join('; ')} only (the link asks for these).`}
      </p>
      {notice ? (
        <div className="notice" role="status">
          {notice}
        </div>
      ) : null}
      {gpuStatus === 'unavailable' ? (
        <div className="notice" role="alert">
          {gpuError?.message ?? 'WebGPU is not available in this browser.'}
        </div>
      ) : null}
      <div className="selftest-actions">
        <button
          type="button"
          className="btn btn-run"
          onClick={() => void run()}
          disabled={running}
          data-testid="selftest-run"
        >
          {report ? 'Run the checks again' : 'Run the checks'}
        </button>
        {running ? (
          <button type="button" className="btn btn-stop" onClick={() => abort.current?.abort()}>
            Stop
          </button>
        ) : null}
      </div>
      {running ? (
        <div className="selftest-progress">
          <progress value={phase.done} max={phase.total} aria-label="Variants checked" />
          <p role="status" aria-live="polite">
            Checked {phase.done} of {phase.total}
            {phase.current ? `; now ${phase.current}` : ''}. The first run of each kernel includes its compilation.
          </p>
        </div>
      ) : null}
      {problem ? (
        <div className="notice" role="alert" data-testid="selftest-problem">
          {problem}
        </div>
      ) : null}
      {rows.length ? (
        <>
          {live ? <AdapterFacts report={live} /> : null}
          <Summary report={live ?? { summary: summarise(rows), durationMs: 0 }} />
          <ResultsRows results={rows} caption="Each kernel variant on this GPU" />
        </>
      ) : null}
      {report ? (
        <div className="selftest-share" data-testid="selftest-share">
          <h3>Share the report</h3>
          <div className="selftest-actions">
            <button type="button" className="btn" onClick={() => void copy(reportLink(report), 'Link')}>
              Copy a link
            </button>
            <button type="button" className="btn" onClick={() => void copy(json, 'JSON')}>
              Copy the JSON
            </button>
            <button
              type="button"
              className="btn"
              onClick={() =>
                download(
                  `gpu-selftest-${report.adapter.vendor}-${report.startedAt.slice(0, 10)}.json`.replace(
                    /[^\w.-]+/g,
                    '-',
                  ),
                  new Blob([json], { type: 'application/json' }),
                )
              }
            >
              Download the JSON
            </button>
          </div>
          {note ? (
            <p role="status" data-testid="selftest-note">
              {note}
            </p>
          ) : null}
          <label className="selftest-json">
            The report as JSON
            <textarea readOnly value={json} rows={8} data-testid="selftest-json" />
          </label>
          <p>
            <a href={reportLink(report)} data-testid="selftest-link">
              This report as a link
            </a>{' '}
            (the report is compressed into the part after #, which browsers never send to a server).
          </p>
        </div>
      ) : null}
    </section>
  );
}

/** "Check my GPU" (?selftest): your own check, or someone else's report from #report=… (read-only). */
export function SelfTestPage() {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    window.addEventListener('popstate', on);
    return () => {
      window.removeEventListener('hashchange', on);
      window.removeEventListener('popstate', on);
    };
  }, []);
  const shared = useMemo(() => (hash.startsWith('#report=') ? decodeReport(hash) : null), [hash]);
  return (
    <div className="selftest-page">
      {shared ? (
        shared.ok ? (
          <SharedReport report={shared.report} />
        ) : (
          <div className="notice" role="alert" data-testid="selftest-link-error">
            This link&rsquo;s report cannot be shown: {shared.problem}.
          </div>
        )
      ) : null}
      {!shared?.ok ? <OwnCheck /> : null}
    </div>
  );
}
