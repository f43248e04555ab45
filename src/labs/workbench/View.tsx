import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ChartFrame } from '../../ui/ChartFrame';
import { LabSections } from '../../ui/Section';
import { fmtBytes, fmtGBps, fmtMs } from '../../ui/format';
import type { LabViewProps } from '../../labkit/contract';
import type { meta } from './meta';
import { CasesTable } from './CasesTable';
import { BARRIER_LOOP_LIMIT } from './check/harness';
import type { CheckReport } from './check/report';
import { setCode } from './codeStore';
import type { Exercise } from './exercise';
import { findExercise } from './exercises';
import { clearLocal, codeFromHash, loadLocal, saveLocal, writeHash } from './persist';
import { Statement } from './Statement';
import { TrafficChart } from './TrafficChart';
import './workbench.css';

// CodeMirror is the heaviest part of the lab; the statement shows while it loads.
const Editor = lazy(() => import('./Editor'));

interface Doc {
  key: string;
  exercise: string;
  text: string;
}

let docSeq = 0;
function docFor(ex: Exercise, text?: string): Doc {
  // A shared link's code wins over this browser's draft: the link is what the sender meant.
  const t = text ?? codeFromHash(ex.id, window.location.hash) ?? loadLocal(ex.id) ?? ex.starter;
  setCode(ex.id, t);
  return { key: `${ex.id}:${++docSeq}`, exercise: ex.id, text: t };
}

const STATUS_TEXT: Record<CheckReport['status'], string> = {
  pass: 'Pass',
  fail: 'Fail',
  'compile-error': 'Does not compile',
  invalid: 'Cannot check',
  timeout: 'Stopped',
};

export function WorkbenchView({ params, result, stale, actions }: LabViewProps<typeof meta.schema, CheckReport>) {
  const ex = useMemo(() => findExercise(params.exercise), [params.exercise]);
  const [doc, setDoc] = useState<Doc>(() => docFor(ex));
  const [showSolution, setShowSolution] = useState(false);
  // The verdict belongs to the code that was checked; say so once the code changes.
  const [edited, setEdited] = useState(false);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef({ exercise: doc.exercise, text: doc.text });

  useEffect(() => {
    if (doc.exercise === ex.id) return;
    const next = docFor(ex);
    latest.current = { exercise: next.exercise, text: next.text };
    setDoc(next);
    setShowSolution(false);
  }, [ex, doc.exercise]);

  const save = useCallback(() => {
    clearTimeout(saveTimer.current);
    saveTimer.current = undefined;
    const { exercise, text } = latest.current;
    saveLocal(exercise, text);
    writeHash(exercise, text);
  }, []);

  // A tab closed mid-edit still keeps its last keystrokes.
  useEffect(() => {
    const onHide = () => saveTimer.current !== undefined && save();
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      onHide();
    };
  }, [save]);

  const onChange = useCallback(
    (text: string) => {
      latest.current = { exercise: doc.exercise, text };
      setCode(doc.exercise, text);
      setEdited(true);
      clearTimeout(saveTimer.current);
      saveTimer.current = setTimeout(save, 300);
    },
    [doc.exercise, save],
  );

  const run = useCallback(() => {
    save();
    setEdited(false);
    actions.run();
  }, [actions, save]);

  const replaceWith = (text: string) => {
    const next = docFor(ex, text);
    latest.current = { exercise: ex.id, text };
    setDoc(next);
    save();
  };

  const report = result.data && result.data.exercise === ex.id ? result.data : null;
  const running = result.status === 'running';
  const scoring = report?.cases.length ? report.cases[report.cases.length - 1] : null;
  const diagnostics = useMemo(() => report?.diagnostics ?? [], [report]);

  return (
    <LabSections
      picture={
        <div className="wb">
          <Statement ex={ex} />
          <div className="wb-work">
            <div className="wb-toolbar">
              <button
                type="button"
                className="btn btn-run"
                onClick={run}
                disabled={running}
                title="Ctrl+Enter (⌘+Enter) in the editor"
              >
                {running ? result.progressText || 'Checking…' : 'Run & check'}
              </button>
              <span className="muted wb-kbd">Ctrl/⌘ + Enter</span>
              <button
                type="button"
                className="btn"
                onClick={() => {
                  clearLocal(ex.id);
                  replaceWith(ex.starter);
                }}
                title="Replace your code with the starter (Ctrl+Z undoes it)"
              >
                Reset to starter
              </button>
              <button
                type="button"
                className="btn"
                aria-expanded={showSolution}
                onClick={() => setShowSolution((s) => !s)}
              >
                {showSolution ? 'Hide solution' : 'Show solution'}
              </button>
              {report && !stale ? (
                <span className={`wb-chip wb-chip-${report.status}`} role="status">
                  {STATUS_TEXT[report.status]}
                </span>
              ) : null}
              {report && edited && !running ? <span className="muted">edited since this check</span> : null}
            </div>
            <Suspense fallback={<pre className="wb-editor wb-editor-fallback">{doc.text}</pre>}>
              <Editor
                doc={doc}
                onChange={onChange}
                onRun={run}
                diagnostics={diagnostics}
                label={`WGSL kernel for ${ex.title}`}
              />
            </Suspense>
            {showSolution ? (
              <div className="wb-solution">
                <div className="wb-toolbar">
                  <strong>Reference solution</strong>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => replaceWith(ex.solution)}
                    title="Ctrl+Z in the editor brings your code back"
                  >
                    Copy into my editor
                  </button>
                </div>
                <Suspense fallback={<pre className="wb-editor wb-editor-fallback">{ex.solution}</pre>}>
                  <Editor
                    doc={{ key: `solution:${ex.id}`, text: ex.solution }}
                    readOnly
                    label={`Reference solution for ${ex.title}`}
                  />
                </Suspense>
              </div>
            ) : null}
          </div>
        </div>
      }
      results={
        report ? (
          <>
            <p
              className={`wb-message wb-message-${report.status}`}
              role={report.status === 'pass' ? 'status' : 'alert'}
            >
              {report.message}
            </p>
            {scoring && report.status !== 'compile-error' ? (
              <ChartFrame
                title={`Global-memory traffic on the largest case (${scoring.label})`}
                name={`workbench-${ex.id}-traffic`}
              >
                <TrafficChart c={scoring} />
                <p className="muted wb-legend">
                  <span className="wb-swatch wb-swatch-read" /> bytes read{' '}
                  <span className="wb-swatch wb-swatch-write" /> bytes written{' '}
                  <span className="wb-swatch wb-swatch-naive" /> starter kernel (total)
                </p>
              </ChartFrame>
            ) : null}
            {report.cases.length ? <CasesTable cases={report.cases} stale={stale} /> : null}
            {report.timing && scoring ? (
              <p>
                Measured time on {report.timing.case}: <strong>{fmtMs(report.timing.medianMs)}</strong> (spread{' '}
                {fmtMs(report.timing.spreadMs)}, {report.timing.source}); counted traffic{' '}
                {fmtBytes(scoring.bytesRead + scoring.bytesWritten)} in that time is{' '}
                <span className="hbm">
                  {fmtGBps((scoring.bytesRead + scoring.bytesWritten) / (report.timing.medianMs * 1e6))}
                </span>
                . Cases this small mostly measure launch overhead.
              </p>
            ) : null}
          </>
        ) : (
          <p className="muted">
            {running
              ? result.progressText || 'Checking…'
              : 'Write or edit the kernel, then Run & check (Ctrl/⌘ + Enter).'}
          </p>
        )
      }
      explanation={
        <>
          <p>
            <strong>Checking.</strong> Your kernel runs on {ex.cases.sizes.length} hidden cases, including sizes that
            are not multiples of any tile, with inputs from a fixed seed. Each output is compared with a CPU reference
            (the other labs’ own where they have one): an element passes if |got − expected| ≤ {ex.tolerance.abs} +{' '}
            {ex.tolerance.rel}·|expected|. The worst mismatch is the element furthest outside that bound; outputs start
            as a marked NaN, so one the kernel never wrote is reported as such.
          </p>
          <p>
            <strong className="hbm">Traffic.</strong> Before running, the checker rewrites your WGSL (parsed with
            wgsl_reflect for the bindings) so that every indexed load or store of a storage buffer adds its element’s
            bytes to per-invocation counters, added into atomics once per invocation. That counts bytes{' '}
            <em>requested</em> by invocations. Real DRAM traffic differs both ways: caches serve repeated reads (lower),
            while scattered 4-byte reads still fetch whole 32-byte sectors (higher). Workgroup memory and registers are
            free here, which is the point of tiling. Accesses through a pointer to a whole buffer (
            <code>let p = &amp;x;</code>) are not counted.
          </p>
          <p>
            <strong>Safety.</strong> Every loop gets an iteration guard ({ex.loopLimit.toLocaleString('en-US')}{' '}
            iterations per invocation, and {BARRIER_LOOP_LIMIT.toLocaleString('en-US')} per loop that contains a
            barrier) and every index into a storage buffer or a workgroup array is checked against its length, so a
            runaway loop is stopped and an out-of-bounds access reported, not silent. A dispatch still running after 10
            s is abandoned and the GPU device recreated. Your code is saved in this browser and in the page link as you
            type.
          </p>
          <p className="muted">
            The time is measured with the loop guards but without counting; it is shown for interest, not scored.
          </p>
        </>
      }
    />
  );
}
