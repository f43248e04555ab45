import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ChartFrame } from '../../ui/ChartFrame';
import { fmtBytes, fmtMs } from '../../ui/format';
import { ringBytesFormula } from '../../sim/cluster/allreduce';
import { DEFAULT_TRAIN, evalLoss, paramCount, type TrainConfig } from '../../sim/cluster/training';
import { trainReference, type StepRecord } from '../../sim/cluster/trainingRun';
import { clusterWorkerFactory } from '../../workers/cluster.client';
import { indexedDbStore, type CheckpointStore } from '../../workers/clusterCheckpoints';
import {
  ClusterJob,
  type ClusterJobResult,
  type FailurePolicy,
  type FailureRecord,
  type JobEvent,
} from '../../workers/clusterJob';
import { LossChart } from './LossChart';
import type { ClusterViewProps } from './View';
import './LivePanel.css';

/**
 * "Live mini-cluster": N Web Workers train one small MLP data-parallel with a real ring
 * all-reduce; the user kills a rank and watches the job restart from its IndexedDB checkpoint.
 * Its settings are lab parameters placed in this view (meta.ts, placement 'view'): in the URL, and
 * an error never resets them.
 */

interface Settings {
  ranks: number;
  checkpointEvery: number;
  policy: FailurePolicy;
  paceMs: number;
}

const CFG: TrainConfig = DEFAULT_TRAIN;

type RankState = 'alive' | 'killed' | 'lost';

interface LogLine {
  id: number;
  kind: 'info' | 'warn' | 'fail';
  text: string;
}

interface Live {
  running: boolean;
  /** Ranks the run started with (the reference is computed for these, whatever the inputs say now). */
  startRanks: number;
  /** Counted record per step (rolled back on restart). */
  records: StepRecord[];
  /** Every computed step, including those later thrown away (drawn faint). */
  discarded: StepRecord[];
  checkpoints: number[];
  failures: FailureRecord[];
  world: number;
  ranks: RankState[];
  /** Ranks lost in earlier restarts, kept on screen: "rank 2, lost at step 56". */
  gone: string[];
  bytesPerRank: number[];
  stepMs: number;
  commMs: number;
  log: LogLine[];
  result: ClusterJobResult | null;
  error: string | null;
  where: string;
}

const emptyLive = (ranks: number): Live => ({
  running: false,
  startRanks: ranks,
  records: [],
  discarded: [],
  checkpoints: [],
  failures: [],
  world: ranks,
  ranks: Array.from({ length: ranks }, () => 'alive' as RankState),
  gone: [],
  bytesPerRank: [],
  stepMs: 0,
  commMs: 0,
  log: [],
  result: null,
  error: null,
  where: '',
});

let sharedStore: CheckpointStore | null = null;
const store = () => (sharedStore ??= indexedDbStore());

function Field({ label, help, children }: { label: string; help: string; children: ReactNode }) {
  return (
    <label className="live-field" title={help}>
      <span>{label}</span>
      {children}
    </label>
  );
}

export default function LivePanel({ params, actions }: Pick<ClusterViewProps, 'params' | 'actions'>) {
  const settings: Settings = {
    ranks: params.liveRanks,
    checkpointEvery: params.liveCheckpointEvery,
    policy: params.livePolicy,
    paceMs: params.livePaceMs,
  };
  const [live, setLive] = useState<Live>(() => emptyLive(params.liveRanks));
  const liveRef = useRef<Live>(live);
  const jobRef = useRef<ClusterJob | null>(null);
  const raf = useRef(0);
  const logId = useRef(0);

  // The uninterrupted run on the same number of ranks, computed by the pure trainer (no workers):
  // for the run on screen once there is one, else for the ranks set now.
  const refRanks = live.running || live.result || live.records.length ? live.startRanks : settings.ranks;
  const reference = useMemo(() => {
    const r = trainReference(CFG, { world: refRanks });
    return { losses: r.records.map((x) => x.loss), finalLoss: evalLoss(CFG, r.state.params) };
  }, [refRanks]);

  const flush = () => {
    if (raf.current) return;
    raf.current = requestAnimationFrame(() => {
      raf.current = 0;
      setLive({ ...liveRef.current });
    });
  };
  useEffect(
    () => () => {
      jobRef.current?.stop();
      if (raf.current) cancelAnimationFrame(raf.current);
    },
    [],
  );

  const log = (kind: LogLine['kind'], text: string) => {
    const l = liveRef.current;
    l.log = [...l.log.slice(-40), { id: logId.current++, kind, text }];
  };

  const onEvent = (e: JobEvent) => {
    const l = liveRef.current;
    switch (e.kind) {
      case 'start':
        l.world = e.world;
        l.ranks = Array.from({ length: e.world }, () => 'alive');
        log(
          'info',
          e.fromStep === 0
            ? `Started ${e.world} rank workers.`
            : `Restarted on ${e.world} rank${e.world > 1 ? 's' : ''} from step ${e.fromStep}.`,
        );
        break;
      case 'step':
        l.records = l.records.slice(0, e.record.step);
        l.records[e.record.step] = e.record;
        l.bytesPerRank = e.bytesPerRank;
        l.stepMs = e.ms;
        l.commMs = e.commMs;
        break;
      case 'checkpoint':
        l.checkpoints = [...l.checkpoints, e.step];
        l.where = e.where;
        log('info', `Checkpoint at step ${e.step}: ${fmtBytes(e.bytes)} to ${e.where} in ${fmtMs(e.ms)}.`);
        break;
      case 'checkpoint-failed':
        log('warn', e.message);
        break;
      case 'kill':
        if (l.ranks[e.rank]) l.ranks = l.ranks.map((s, i) => (i === e.rank ? 'killed' : s));
        log(
          'fail',
          `Rank ${e.rank} ${e.how === 'crash' ? 'crashed (an uncaught error in the worker)' : 'terminated'} ${e.midStep ? `in the middle of step ${e.step}` : 'between steps'}.`,
        );
        break;
      case 'failure': {
        const f = e.failure;
        l.failures = [...l.failures, f];
        l.ranks = l.ranks.map((s, i) => (f.ranks.includes(i) ? 'lost' : s));
        l.gone = [...l.gone, ...f.ranks.map((r) => `rank ${r} of ${f.worldBefore}: lost in step ${f.step}`)];
        l.discarded = [...l.discarded, ...l.records.slice(f.resumedFrom)];
        l.records = l.records.slice(0, f.resumedFrom);
        log(
          'fail',
          `Noticed by ${f.detectedBy} after ${fmtMs(f.detectMs)}: ${f.reason}. Last checkpoint: step ${f.resumedFrom}; ${f.lostSteps} completed step${f.lostSteps === 1 ? '' : 's'} lost and redone.`,
        );
        break;
      }
      case 'restart':
        log(
          'info',
          `Checkpoint of step ${e.fromStep} read back in ${fmtMs(e.ms)}; ${settings.policy === 'elastic' ? 'continuing elastically' : 'a replacement joins'} with ${e.world} rank${e.world > 1 ? 's' : ''}.`,
        );
        break;
    }
    flush();
  };

  const start = () => {
    jobRef.current?.stop();
    liveRef.current = { ...emptyLive(settings.ranks), running: true };
    setLive(liveRef.current);
    let job: ClusterJob;
    try {
      job = new ClusterJob({
        factory: clusterWorkerFactory,
        cfg: CFG,
        ranks: settings.ranks,
        checkpointEvery: settings.checkpointEvery,
        store: store(),
        policy: settings.policy,
        paceMs: settings.paceMs,
        onEvent,
      });
    } catch (e) {
      liveRef.current = { ...liveRef.current, running: false, error: e instanceof Error ? e.message : String(e) };
      setLive(liveRef.current);
      return;
    }
    jobRef.current = job;
    job.run().then(
      (result) => {
        if (jobRef.current !== job) return;
        liveRef.current = { ...liveRef.current, running: false, result };
        log('info', `Done: ${result.records.length} steps counted once each, ${result.computedSteps} computed.`);
        flush();
      },
      (e) => {
        if (jobRef.current !== job) return;
        const aborted = e instanceof DOMException && e.name === 'AbortError';
        liveRef.current = {
          ...liveRef.current,
          running: false,
          error: aborted ? null : `The mini-cluster stopped: ${e instanceof Error ? e.message : String(e)}`,
        };
        if (aborted) log('info', 'Stopped.');
        flush();
      },
    );
  };

  const stop = () => jobRef.current?.stop();
  const kill = (r: number) => jobRef.current?.kill(r);
  const crash = (r: number) => jobRef.current?.crash(r);
  const KEYS = {
    ranks: 'liveRanks',
    checkpointEvery: 'liveCheckpointEvery',
    policy: 'livePolicy',
    paceMs: 'livePaceMs',
  } as const;
  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => actions.setParams({ [KEYS[k]]: v });

  const P = paramCount(CFG);
  const gradBytes = P * 4;
  const res = live.result;
  const lost = live.failures.reduce((a, f) => a + f.lostSteps, 0);
  const step = live.records.length;
  // The same schedule of world sizes run by the pure trainer: the workers must match it bit for bit.
  const sameSchedule = useMemo(() => {
    if (!res) return null;
    const worlds = res.records.map((r) => r.world);
    return evalLoss(CFG, trainReference(CFG, { world: (s) => worlds[s] }).state.params);
  }, [res]);
  const diff = res ? res.finalLoss - reference.finalLoss : 0;

  return (
    <section className="live-panel" aria-labelledby="live-title">
      <h3 id="live-title">Live mini-cluster: data-parallel training in Web Workers</h3>
      <p className="cluster-caption">
        Each rank is a Web Worker holding a full copy of a 2-layer MLP ({P.toLocaleString('en-US')} parameters: 2 →{' '}
        {CFG.hidden} → {CFG.classes}, on a seeded {CFG.classes}-arm spiral). Every step, each rank computes the gradient
        of its slice of the global batch ({CFG.batch} samples) and the ranks sum the gradients with a ring all-reduce
        over MessageChannels. Kill a rank while it trains: the job notices, reads the last checkpoint back from{' '}
        {store().where} and carries on.
      </p>
      <div className="live-controls">
        <Field label="Ranks N" help="Data-parallel workers (1–8).">
          <input
            type="number"
            min={1}
            max={8}
            value={settings.ranks}
            disabled={live.running}
            onChange={(e) => set('ranks', Math.max(1, Math.min(8, Math.round(Number(e.target.value)) || 1)))}
          />
        </Field>
        <Field label="Checkpoint every" help="Steps between checkpoints (0 = never: a failure restarts from step 0).">
          <input
            type="number"
            min={0}
            max={CFG.steps}
            value={settings.checkpointEvery}
            disabled={live.running}
            onChange={(e) =>
              set('checkpointEvery', Math.max(0, Math.min(CFG.steps, Math.round(Number(e.target.value)) || 0)))
            }
          />
        </Field>
        <Field
          label="On failure"
          help="Elastic: continue on the survivors (N−1). Replacement: start a new worker in the dead one's place."
        >
          <select
            value={settings.policy}
            disabled={live.running}
            onChange={(e) => set('policy', e.target.value as FailurePolicy)}
          >
            <option value="elastic">Elastic: continue on N−1</option>
            <option value="replace">Wait for a replacement</option>
          </select>
        </Field>
        <Field
          label="Extra compute per step"
          help="Each rank waits this long inside every step, before its all-reduce (standing in for a bigger model), so you can click and a kill lands mid-step. The real work takes a few ms."
        >
          <select
            value={settings.paceMs}
            disabled={live.running}
            onChange={(e) => set('paceMs', Number(e.target.value))}
          >
            {[...new Set([0, 15, 50, settings.paceMs])]
              .sort((a, b) => a - b)
              .map((ms) => (
                <option key={ms} value={ms}>
                  {ms ? `${ms} ms` : 'none'}
                </option>
              ))}
          </select>
        </Field>
        {live.running ? (
          <button type="button" className="btn btn-stop" onClick={stop} data-testid="live-stop">
            Stop
          </button>
        ) : (
          <button type="button" className="btn btn-run" onClick={start} data-testid="live-start">
            Start training
          </button>
        )}
      </div>
      {live.error ? (
        <div className="notice live-error" role="alert" data-testid="live-error">
          <p>{live.error}</p>
          <p className="muted">Your settings are kept; press Start to try again.</p>
        </div>
      ) : null}

      <div className="live-ranks" role="group" aria-label="Ranks">
        {live.ranks.map((s, r) => (
          <div key={r} className={`live-rank ${s}`} data-testid={`rank-${r}`}>
            <span className="live-rank-name">rank {r}</span>
            <span className="live-rank-state">
              {s === 'alive' ? (live.running ? 'training' : 'idle') : s === 'killed' ? 'terminated' : 'lost'}
            </span>
            <span className="live-rank-bytes">
              {live.bytesPerRank[r] !== undefined ? `${fmtBytes(live.bytesPerRank[r])} sent / step` : '—'}
            </span>
            <span className="live-rank-actions">
              <button
                type="button"
                className="btn btn-small"
                disabled={!live.running || s !== 'alive'}
                onClick={() => kill(r)}
                data-testid={`kill-rank-${r}`}
                aria-label={`Kill rank ${r}`}
                title="Terminate the worker: it just stops, like a node losing power"
              >
                Kill
              </button>
              <button
                type="button"
                className="btn btn-small"
                disabled={!live.running || s !== 'alive'}
                onClick={() => crash(r)}
                data-testid={`crash-rank-${r}`}
                aria-label={`Crash rank ${r}`}
                title="Throw an uncaught error in the worker: it reports its death"
              >
                Crash
              </button>
            </span>
          </div>
        ))}
        {live.gone.map((g, i) => (
          <div key={`gone${i}`} className="live-rank lost">
            <span className="live-rank-name">{g.split(':')[0]}</span>
            <span className="live-rank-state">{g.split(': ')[1]}</span>
            <span className="live-rank-bytes">
              {settings.policy === 'elastic' ? 'not replaced (elastic)' : 'replaced'}
            </span>
          </div>
        ))}
      </div>

      <div
        className="live-kpis"
        role="status"
        data-testid="live-status"
        data-step={step}
        data-running={live.running ? 'yes' : 'no'}
        data-world={live.world}
      >
        <div>
          <strong>
            {step} / {CFG.steps}
          </strong>
          <span>steps counted</span>
        </div>
        <div>
          <strong>{live.world}</strong>
          <span>ranks now</span>
        </div>
        <div>
          <strong data-testid="lost-steps">{lost}</strong>
          <span>steps lost and redone</span>
        </div>
        <div>
          <strong>{live.checkpoints.length}</strong>
          <span>checkpoints</span>
        </div>
        <div>
          <strong>{live.bytesPerRank.length ? fmtBytes(Math.max(...live.bytesPerRank)) : '—'}</strong>
          <span>
            sent per rank per step; 2(N−1)/N × {fmtBytes(gradBytes)} ={' '}
            {fmtBytes(ringBytesFormula(gradBytes, live.world))}
          </span>
        </div>
        <div>
          <strong>{live.stepMs ? fmtMs(live.stepMs) : '—'}</strong>
          <span>last step ({live.commMs ? `${fmtMs(live.commMs)} in the all-reduce` : 'measured'})</span>
        </div>
      </div>

      <ChartFrame title="Training loss per step: live workers vs the uninterrupted reference" name="cluster-live-loss">
        <LossChart
          records={live.records}
          discarded={live.discarded}
          reference={reference.losses}
          checkpoints={live.checkpoints}
          failures={live.failures}
          steps={CFG.steps}
        />
        <p className="cluster-caption">
          Solid: the loss of each counted step (mean over its global batch), measured in the workers. Dashed grey: the
          same job without failures, computed by the pure trainer on {refRanks} rank
          {refRanks > 1 ? 's' : ''} (under the solid line wherever they agree). Faint dots: steps computed and then
          thrown away by a rollback. Teal ticks: checkpoints; red lines: failures.
        </p>
      </ChartFrame>

      {res ? (
        <div className="live-final" data-testid="live-final">
          <table className="live-table">
            <caption>Final loss over the whole dataset ({CFG.samples} samples)</caption>
            <tbody>
              <tr>
                <th scope="row">
                  This run (workers
                  {res.failures.length ? `, ${res.failures.length} failure${res.failures.length > 1 ? 's' : ''}` : ''})
                </th>
                <td data-testid="final-loss">{res.finalLoss.toPrecision(10)}</td>
              </tr>
              <tr>
                <th scope="row">
                  Uninterrupted, {refRanks} rank{refRanks > 1 ? 's' : ''} (pure trainer)
                </th>
                <td data-testid="reference-loss">{reference.finalLoss.toPrecision(10)}</td>
              </tr>
              <tr>
                <th scope="row">Difference</th>
                <td data-testid="loss-diff" data-diff={diff}>
                  {diff === 0
                    ? 'none: bit-identical'
                    : `${diff.toExponential(2)} (relative ${(Math.abs(diff) / reference.finalLoss).toExponential(1)})`}
                </td>
              </tr>
              <tr>
                <th scope="row">Pure trainer with this run’s rank counts</th>
                <td data-testid="schedule-loss">
                  {sameSchedule === res.finalLoss
                    ? 'bit-identical to this run'
                    : `${sameSchedule?.toPrecision(10)} (differs!)`}
                </td>
              </tr>
              <tr>
                <th scope="row">Steps</th>
                <td>
                  {res.records.length} counted once each; {res.computedSteps} computed ({res.lostSteps} redone)
                </td>
              </tr>
            </tbody>
          </table>
          <p className="cluster-caption">
            {diff === 0
              ? 'Same ranks before and after the restart: the resumed run adds the same numbers in the same order, so it ends on exactly the same bits.'
              : 'An elastic restart splits each global batch over fewer ranks. The batches are the same (data order is fixed by the global batch index, not by the rank), but float additions happen in another order, so the loss differs in the last digits. That is the only difference: the pure trainer with the same rank counts reproduces this run exactly.'}
          </p>
        </div>
      ) : null}

      <ol className="live-log" aria-label="Job events" data-testid="live-log">
        {live.log.map((l) => (
          <li key={l.id} className={l.kind}>
            {l.text}
          </li>
        ))}
      </ol>
    </section>
  );
}
