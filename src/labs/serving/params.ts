import { stepSeconds, tpAllReduceSeconds } from '../../sim/kvcache/costModel';
import type { TraceRequest } from '../../sim/kvcache/types';
import type { EngineConfig } from '../../sim/serving/engine';
import type { Slo } from '../../sim/serving/metrics';
import { decodeConfig, describeProblems } from '../../catalog';
import { replicaFor, servingModelOf, WEIGHT_FORMATS, type Replica } from '../../sim/serving/models';
import { decodeMeasured, measuredSource } from '../../sim/serving/measured';
import { measuredReplica } from '../../sim/serving/measuredReplica';
import type { AlertRule } from '../../sim/serving/monitor';
import type { Station } from '../../sim/serving/rag';
import type { WorkloadSpec } from '../../sim/serving/workload';
import type { ParamsOf } from '../../labkit/contract';
import type { meta } from './meta';

export type ServingParams = ParamsOf<typeof meta.schema>;

/** The replica (GPUs, KV blocks, roofline profile) for the chosen model and GPU. */
export function replicaOf(p: ServingParams): Replica {
  // The model the user served (Serve lab): its measured step times replace the model and the roofline.
  if (p.measured) return measuredReplica(decodeMeasured(p.measured), p.gpu);
  if (p.model === 'own') {
    if (!p.config)
      throw new RangeError('No config.json yet: paste or drop one in the box above, or pick a catalog model.');
    const r = decodeConfig(p.config);
    if (!r.ok) throw new RangeError(`Your config.json cannot be used: ${describeProblems(r.problems)}.`);
    return replicaFor(
      servingModelOf(`Your model (${r.config.model_type ?? 'config.json'})`, r.arch, p.weights),
      p.gpu,
    );
  }
  return replicaFor(p.model, p.gpu, undefined, p.weights);
}

export function engineConfig(p: ServingParams, r: Replica = replicaOf(p)): EngineConfig {
  return {
    model: r.profile,
    numBlocks: Math.max(1, Math.floor(r.numBlocks * p.kvShare)),
    blockSize: r.blockSize,
    maxBatch: p.maxBatch,
    schedule: p.schedule,
    chunkedPrefill: p.chunked,
    prefillChunk: p.chunk,
    prefixCaching: p.prefixCaching,
    maxQueue: p.maxQueue > 0 ? p.maxQueue : Infinity,
  };
}

export function workloadSpec(p: ServingParams, trace: TraceRequest[] | null): WorkloadSpec {
  return {
    mix: p.mix,
    requests: p.arrivals === 'trace' && trace ? Math.min(p.requests, trace.length) : p.requests,
    systemPrompt: p.systemPrompt,
    highPriorityShare: p.highShare,
    arrivals: p.arrivals,
    cv: p.arrivals === 'gamma' ? p.cv : 1,
    seed: p.seed,
    trace: trace ?? undefined,
  };
}

export function sloOf(p: ServingParams): Slo {
  return { ttftS: p.sloTtft, tpotS: p.sloTpot / 1000 };
}

export function alertRules(p: ServingParams): AlertRule[] {
  return [
    { metric: 'ttftP99S', above: p.alertTtft },
    { metric: 'queue', above: p.alertQueue },
    { metric: 'kv', above: p.alertKv / 100 },
    { metric: 'rejectRate', above: p.alertReject / 100 },
  ];
}

/** The planner's target in requests per second. */
export function planQps(p: ServingParams): number {
  return p.planBy === 'users' ? (p.users * p.userRpm) / 60 : p.targetQps;
}

/** Time of the RAG LLM stage: the prefill of the prompt on one replica, from the roofline model. */
export function ragLlmSeconds(p: ServingParams, r: Replica = replicaOf(p)): number {
  return stepSeconds(
    { prefillTokens: p.ragPrompt, decodeTokens: 1, contextTokens: p.ragPrompt, swapTokens: 0 },
    r.profile,
  );
}

export function ragStations(p: ServingParams, r: Replica = replicaOf(p)): Station[] {
  return [
    { name: 'Embed query', servers: p.ragEmbedN, meanS: p.ragEmbedMs / 1000, dist: 'lognormal', cv: 0.3 },
    { name: 'Vector search', servers: p.ragSearchN, meanS: p.ragSearchMs / 1000, dist: 'exponential', cv: 1 },
    { name: 'Rerank', servers: p.ragRerankN, meanS: p.ragRerankMs / 1000, dist: 'lognormal', cv: 0.5 },
    {
      name: `LLM prefill (${r.model.name})`,
      servers: p.ragLlmN,
      meanS: ragLlmSeconds(p, r),
      dist: 'lognormal',
      cv: 0.2,
    },
  ];
}

/**
 * What tensor parallelism costs a replica of more than one GPU, in words and at a 64-sequence decode
 * step: Megatron's two all-reduces per layer, each moving 2(t−1)/t of the step's activations.
 */
export function tpNote(r: Replica): string {
  const tp = r.profile.tensorParallel;
  if (!tp) return '';
  const ms = tpAllReduceSeconds(64, tp) * 1e3;
  const share =
    tpAllReduceSeconds(64, tp) /
    stepSeconds({ prefillTokens: 0, decodeTokens: 64, contextTokens: 64 * 1024, swapTokens: 0 }, r.profile);
  return `; tensor parallel over ${tp.degree} GPUs: 2 all-reduces per layer × ${tp.layers} layers every step, each sending 2(t−1)/t = ${((2 * (tp.degree - 1)) / tp.degree).toFixed(2)} × tokens × ${tp.hidden} × ${tp.bytesPerValue} B per GPU over ${r.gpu.link} (${(tp.linkBytesPerS / 1e9).toFixed(0)} GB/s each way) plus ${(tp.latencyS * 1e6).toFixed(0)} µs: ${ms.toFixed(2)} ms, ${Math.round(share * 100)}% of a 64-sequence decode step at 1k context`;
}

/** A short provenance line: every figure in this lab is simulated from this model. */
export function provenance(r: Replica): string {
  const m = r.profile.measured;
  if (m)
    return `simulated with step times of ${m.model.name}: prefill ${(m.prefillSPerToken * 1e3).toFixed(3)} ms per token, a decode step ${m.decodeStepS.map((d) => `${(d.seconds * 1e3).toFixed(3)} ms at batch ${d.batch}`).join(', ')} (at ${m.contextTokens} tokens of context), ${measuredSource(m)}; KV memory from ${r.gpu.name}'s capacity`;
  const f = WEIGHT_FORMATS[r.model.format];
  const flops = r.profile.flopsPerS / r.tp;
  const peak =
    r.matmulPeak === 'fp8'
      ? 'FP8'
      : f.compute === 'fp8'
        ? 'BF16: no FP8 units, the FP8 weights are widened to 16-bit'
        : 'BF16';
  return `simulated: roofline step cost of ${r.model.name} on ${r.tp > 1 ? `${r.tp} × ` : ''}${r.gpu.name} in ${f.label} weights (${f.bytesPerWeight.toFixed(f.bytesPerWeight % 1 ? 3 : 0)} B each, ${(r.profile.weightBytes / 1e9).toFixed(0)} GB), from ${r.gpu.source} peaks (${(r.gpu.memBytesPerS / 1e12).toFixed(2)} TB/s, ${(flops / 1e12).toFixed(0)} TFLOP/s ${peak} per GPU)${tpNote(r)}, not measured`;
}
