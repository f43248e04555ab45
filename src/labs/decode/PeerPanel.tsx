import { JobBar } from '../../ui/JobBar';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { fmtMs, fmtRatio } from '../../ui/format';
import type { LabActions, LabResult } from '../../labkit/contract';
import type { ParamSchema } from '../../labkit/schema';
import { decodePeerJob, PEER_JOB, peerKey, type DecodePeerSide } from './peerJob';
import type { DecodeJobs, DecodeParams } from './run';

const TIMING: Record<string, string> = {
  timestamp: 'GPU timestamps',
  wallclock: 'wall clock (no timestamp queries here)',
};

const columns: Column<DecodePeerSide>[] = [
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

/** Our int4 GEMV against onnxruntime-web's MatMulNBits, on demand (the library loads only then). */
export function PeerPanel({
  params,
  job,
  actions,
}: {
  params: DecodeParams;
  job: LabResult<DecodeJobs['peer']> | undefined;
  actions: Pick<LabActions<ParamSchema, DecodeJobs>, 'runJob' | 'cancelJob'>;
}) {
  const data = job?.data ?? null;
  const stale = Boolean(data && job?.paramsKey !== peerKey(params));
  const ratio = data?.ours.medianMs && data.ort.medianMs ? data.ort.medianMs / data.ours.medianMs : null;
  return (
    <section className="decode-peer" aria-label="Comparison with onnxruntime-web" data-testid="decode-peer">
      <h3>Against a library: onnxruntime-web MatMulNBits</h3>
      <p className="muted">
        The same 4-bit weights (symmetric, groups of {params.group}, no AWQ) and activations through onnxruntime-web’s
        MatMulNBits, the contrib op its quantized LLMs run on, on this adapter. Both are checked against the float64
        reference of the dequantized weights first, then timed one run each in alternating rounds; onnxruntime-web has
        no per-run timing of its own, so GPU timestamps are written around each compute pass it encodes.
      </p>
      <JobBar
        job={job}
        label="Compare with onnxruntime-web"
        again="Compare again"
        testId="decode-peer-run"
        onCancel={() => actions.cancelJob(PEER_JOB)}
        onRun={() => actions.runJob(PEER_JOB, (ctx) => decodePeerJob(ctx, params), { key: peerKey(params) })}
      />
      {data ? (
        <>
          <ResultsTable
            caption={`int4 GEMV vs onnxruntime-web ${data.ort.version} MatMulNBits, ${data.N}×${data.K}, M = ${data.M}, groups of ${data.group}`}
            columns={columns}
            rows={[data.ours, data.ort]}
            stale={stale}
            rowKey={(s) => s.label}
            name="decode-peer"
            source="measured"
          />
          <p className="muted" data-testid="decode-peer-ratio">
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
