import { JobBar } from '../../ui/JobBar';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { fmtMs, fmtRatio } from '../../ui/format';
import type { LabActions, LabResult } from '../../labkit/contract';
import type { ParamSchema } from '../../labkit/schema';
import { attentionPeerJob, PEER_JOB, peerKey, type AttentionJobs, type PeerSide } from './peer';
import type { AttentionParams } from './run';

const TIMING: Record<string, string> = {
  timestamp: 'GPU timestamps',
  wallclock: 'wall clock (no timestamp queries here)',
};

const columns: Column<PeerSide>[] = [
  { key: 'impl', label: 'Implementation', render: (s) => s.label },
  {
    key: 'time',
    label: 'Time',
    unit: 'median of rounds',
    render: (s) => (s.medianMs === null ? '—' : fmtMs(s.medianMs)),
    value: (s) => s.medianMs ?? '',
  },
  {
    key: 'timing',
    label: 'Timed by',
    render: (s) => (s.timing ? TIMING[s.timing] : '—'),
    value: (s) => s.timing ?? '',
  },
  {
    key: 'err',
    label: 'Error vs float64',
    render: (s) => (s.relError === null ? '—' : s.relError.toExponential(1)),
    value: (s) => s.relError ?? '',
  },
  { key: 'note', label: 'Note', render: (s) => s.error ?? '', value: (s) => s.error ?? '' },
];

/** Our tiled kernel against onnxruntime-web's attention op, on demand (the library loads only then). */
export function PeerPanel({
  params,
  job,
  actions,
}: {
  params: AttentionParams;
  job: LabResult<AttentionJobs['peer']> | undefined;
  actions: Pick<LabActions<ParamSchema, AttentionJobs>, 'runJob' | 'cancelJob'>;
}) {
  const data = job?.data ?? null;
  const stale = Boolean(data && job?.paramsKey !== peerKey(params));
  const ratio = data?.ours.medianMs && data.ort.medianMs ? data.ort.medianMs / data.ours.medianMs : null;
  return (
    <section className="att-peer" aria-label="Comparison with onnxruntime-web" data-testid="attention-peer">
      <h3>Against a library: onnxruntime-web</h3>
      <p className="att-small">
        The same Q, K and V through onnxruntime-web’s WebGPU attention op (
        {params.causal ? 'GroupQueryAttention, for the causal mask' : 'MultiHeadAttention'}
        ), on this adapter. Both are checked against float64 on sampled rows first, then timed one run each in
        alternating rounds. onnxruntime-web has no per-run timing of its own, so GPU timestamps are written around each
        compute pass it encodes.
      </p>
      <JobBar
        job={job}
        label="Compare with onnxruntime-web"
        again="Compare again"
        testId="attention-peer-run"
        onCancel={() => actions.cancelJob(PEER_JOB)}
        onRun={() => actions.runJob(PEER_JOB, (ctx) => attentionPeerJob(ctx, params), { key: peerKey(params) })}
      />
      {data ? (
        <>
          <ResultsTable
            caption={`Tiled attention vs onnxruntime-web ${data.ort.version}, N = ${data.shape.n}, d = ${data.shape.d}, ${data.shape.bh} head${data.shape.bh > 1 ? 's' : ''}${data.shape.causal ? ', causal' : ''}`}
            columns={columns}
            rows={[data.ours, data.ort]}
            stale={stale}
            rowKey={(s) => s.label}
            name="attention-peer"
            source="measured"
          />
          <p className="att-small" data-testid="attention-peer-ratio">
            {ratio === null
              ? 'No ratio: one side has no time (see its note).'
              : `Ours is ${fmtRatio(ratio)} the speed of onnxruntime-web here (${data.ort.medianMs! > data.ours.medianMs! ? 'faster' : 'slower'}), medians of ${data.rounds} alternating rounds.`}{' '}
            {data.software
              ? 'This adapter is a CPU (SwiftShader): the ratio says how the two kernels’ structure fares on a CPU, not on a GPU.'
              : ''}
          </p>
        </>
      ) : null}
    </section>
  );
}
