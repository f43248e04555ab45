import type { LabActions, LabResult } from '../../labkit/contract';
import type { ParamSchema } from '../../labkit/schema';
import { PeerComparison } from '../../ui/PeerComparison';
import { attentionPeerJob, PEER_JOB, peerKey, type AttentionJobs } from './peer';
import type { AttentionParams } from './run';

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
  return (
    <PeerComparison
      job={job}
      paramsKey={peerKey(params)}
      title="Against a library: onnxruntime-web"
      name="attention-peer"
      className="att-peer"
      intro={
        <p className="att-small">
          The same Q, K and V through onnxruntime-web’s WebGPU attention op (
          {params.causal ? 'GroupQueryAttention, for the causal mask' : 'MultiHeadAttention'}
          ), on this adapter. Both are checked against float64 on sampled rows first, then timed one run each in
          alternating rounds. onnxruntime-web has no per-run timing of its own, so GPU timestamps are written around
          each compute pass it encodes.
        </p>
      }
      caption={(data) =>
        `Tiled attention vs onnxruntime-web ${data.ort.version}, N = ${data.shape.n}, d = ${data.shape.d}, ${data.shape.bh} head${data.shape.bh > 1 ? 's' : ''}${data.shape.causal ? ', causal' : ''}`
      }
      onCancel={() => actions.cancelJob(PEER_JOB)}
      onRun={() => actions.runJob(PEER_JOB, (ctx) => attentionPeerJob(ctx, params), { key: peerKey(params) })}
    />
  );
}
