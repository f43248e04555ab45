import type { LabActions, LabResult } from '../../labkit/contract';
import type { ParamSchema } from '../../labkit/schema';
import { PeerComparison } from '../../ui/PeerComparison';
import { decodePeerJob, PEER_JOB, peerKey } from './peerJob';
import type { DecodeJobs, DecodeParams } from './run';

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
  return (
    <PeerComparison
      job={job}
      paramsKey={peerKey(params)}
      title="Against a library: onnxruntime-web MatMulNBits"
      name="decode-peer"
      className="decode-peer"
      intro={
        <p className="muted">
          The same 4-bit weights (symmetric, groups of {params.group}, no AWQ) and activations through onnxruntime-web’s
          MatMulNBits, the contrib op its quantized LLMs run on, on this adapter. Both are checked against the float64
          reference of the dequantized weights first, then timed one run each in alternating rounds; onnxruntime-web has
          no per-run timing of its own, so GPU timestamps are written around each compute pass it encodes.
        </p>
      }
      caption={(data) =>
        `int4 GEMV vs onnxruntime-web ${data.ort.version} MatMulNBits, ${data.N}×${data.K}, M = ${data.M}, groups of ${data.group}`
      }
      onCancel={() => actions.cancelJob(PEER_JOB)}
      onRun={() => actions.runJob(PEER_JOB, (ctx) => decodePeerJob(ctx, params), { key: peerKey(params) })}
    />
  );
}
