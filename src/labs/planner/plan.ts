import { archOf, type ModelArch } from '../../catalog/config';
import { findGpu, PRICE_NOTE } from '../../catalog/gpus';
import { findModel } from '../../catalog/models';
import { countParams } from '../../catalog/params';
import { describeProblems } from '../../catalog/parse';
import { decodeConfig } from '../../catalog/share';
import {
  findGpu as findClusterGpu,
  layoutProblems,
  memoryPerGpu,
  shapeOfArch,
  type MemoryBreakdown,
  type ParallelConfig,
} from '../../sim/cluster';
import { stepSeconds } from '../../sim/kvcache/costModel';
import { WEIGHT_FORMATS, type WeightFormat } from '../../catalog/formats';
import { MEMORY_UTILIZATION, replicaFor, servingModelOf, weightBytesOf, type Replica } from '../../sim/serving/models';
import { prefillCost, PREFILL_MFU } from '../../sim/serving/prefill';

/**
 * The one-screen plan: a model, a GPU and a workload in, the GPUs, their layout, the memory split
 * and the cost per hour out, each figure computed by the same models the labs use (serving replica
 * and roofline step cost, the cluster lab's ZeRO/Megatron memory) and linked to the lab state that
 * shows it in full. Datasheet peaks throughout: a plan is a lower bound on GPUs, not a quote.
 */
export interface PlanInput {
  mode: 'serve' | 'train';
  model: string;
  config: string;
  gpu: string;
  /** USD per GPU-hour; 0 means the catalog's indicative price. */
  price: number;
  users: number;
  context: number;
  tpotMs: number;
  /** Serving: tokens prefilled per request, tokens generated per request, and the TTFT target (s). */
  prompt: number;
  output: number;
  ttftS: number;
  /** Serving: the weights' format (catalog/formats.ts). */
  weights: WeightFormat;
  trainTokensB: number;
  days: number;
  mfu: number;
}

export interface Figure {
  label: string;
  value: string;
  /** How it was computed, in one line. */
  how: string;
  /** The lab state that shows it (a query string). */
  link: string | null;
}

export interface Plan {
  model: string;
  gpu: string;
  gpus: number;
  dollarsPerHour: number;
  priceSource: string;
  figures: Figure[];
  /** Bytes per GPU by kind, for the memory bar. */
  memory: { label: string; bytes: number }[];
  capacityBytes: number;
}

const q = (params: Record<string, string | number | boolean>) =>
  `?${new URLSearchParams(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))).toString()}`;
const gb = (b: number) => `${(b / 1e9).toFixed(b < 10e9 ? 1 : 0)} GB`;
const money = (x: number) => (x >= 100 ? `$${Math.round(x).toLocaleString('en-US')}` : `$${x.toFixed(2)}`);

function modelOf(p: PlanInput): { name: string; arch: ModelArch; params: Record<string, string> } {
  if (p.model === 'own') {
    if (!p.config)
      throw new RangeError('No config.json yet: paste or drop one in the box above, or pick a catalog model.');
    const r = decodeConfig(p.config);
    if (!r.ok) throw new RangeError(`Your config.json cannot be used: ${describeProblems(r.problems)}.`);
    return {
      name: `Your model (${r.config.model_type ?? 'config.json'})`,
      arch: r.arch,
      params: { model: 'own', config: p.config },
    };
  }
  const m = findModel(p.model);
  if (!m) throw new RangeError(`Unknown model "${p.model}".`);
  return { name: m.name, arch: archOf(m.config), params: { model: m.id } };
}

/**
 * The mean time per output token at batch b: the decode step, plus the prefills that step must
 * fit in. Each of the b users sends a new prompt every `output` tokens, so b ÷ output prompts are
 * prefilled per step on average (chunked prefill spreads them over the steps); `prefillS` is one
 * prompt's prefill (prefill.ts). With prefillS = 0 it is the decode step alone.
 */
export function tpotAt(r: Replica, b: number, context: number, prefillS = 0, output = 1): number {
  const decode = stepSeconds({ prefillTokens: 0, decodeTokens: b, contextTokens: b * context, swapTokens: 0 }, r.profile);
  return decode + (b / output) * prefillS;
}

/** Largest batch (concurrent sequences) with the time per token at or under the TPOT target, up to `cap`; 0 when even one is too slow. */
export function sloBatch(r: Replica, context: number, tpotS: number, cap: number, prefillS = 0, output = 1): number {
  const fits = (b: number) => tpotAt(r, b, context, prefillS, output) <= tpotS;
  if (cap < 1 || !fits(1)) return 0;
  let lo = 1;
  let hi = cap;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function priceOf(p: PlanInput): { price: number; source: string } {
  const g = findGpu(p.gpu);
  if (p.price > 0) return { price: p.price, source: 'your price' };
  return { price: g?.pricePerHour ?? 0, source: `the catalog’s indicative price (${PRICE_NOTE})` };
}

const fmtS = (x: number) => (x < 1 ? `${(x * 1000).toFixed(0)} ms` : `${x.toFixed(2)} s`);

export function servePlan(p: PlanInput): Plan {
  const m = modelOf(p);
  if (p.prompt > p.context)
    throw new RangeError(
      `A ${p.prompt.toLocaleString('en-US')}-token prompt does not fit a ${p.context.toLocaleString('en-US')}-token context: the prompt is part of the context each user holds.`,
    );
  const r = replicaFor(servingModelOf(m.name, m.arch, p.weights), p.gpu);
  const fmt = WEIGHT_FORMATS[p.weights];
  const kvPerUser = p.context * r.model.kvBytesPerToken;
  const memUsers = Math.floor(r.kvBytes / kvPerUser);
  if (memUsers < 1) {
    throw new RangeError(
      `One ${p.context.toLocaleString('en-US')}-token context needs ${gb(kvPerUser)} of KV cache; a replica of ${r.tp} × ${r.gpu.name} has ${gb(r.kvBytes)} left after the weights. Shorten the context or pick a GPU with more memory.`,
    );
  }
  const pre = prefillCost(r, p.prompt);
  const decodeOnly = sloBatch(r, p.context, p.tpotMs / 1000, memUsers);
  const batch = sloBatch(r, p.context, p.tpotMs / 1000, memUsers, pre.seconds, p.output);
  if (batch < 1)
    throw new RangeError(
      `Even one sequence takes longer than ${p.tpotMs} ms per token on ${r.tp} × ${r.gpu.name} at ${p.context.toLocaleString('en-US')} tokens of context${decodeOnly >= 1 ? ` once its prompts’ prefills (${fmtS(pre.seconds)} each, every ${p.output.toLocaleString('en-US')} tokens) are counted` : ''}: loosen the TPOT target or pick a faster GPU.`,
    );
  const step = tpotAt(r, batch, p.context, pre.seconds, p.output);
  // A prompt arriving waits for the step in flight, then is prefilled (no queue: the plan keeps load under capacity).
  const ttft = pre.seconds + step;
  if (ttft > p.ttftS)
    throw new RangeError(
      `The first token of a ${p.prompt.toLocaleString('en-US')}-token prompt takes ${fmtS(ttft)} on ${r.tp} × ${r.gpu.name} (prefill ${fmtS(pre.seconds)} at ${Math.round(pre.mfu * 100)} % of the peak, plus the step in flight): over the ${fmtS(p.ttftS)} target. Shorten the prompt, loosen the target or pick a faster GPU.`,
    );
  const replicas = Math.ceil(p.users / batch);
  const gpus = replicas * r.tp;
  const { price, source } = priceOf(p);
  const serving = q({ lab: 'serving', ...m.params, gpu: r.gpu.id, ...(p.weights !== 'bf16' ? { weights: p.weights } : {}) });
  const kv = q({ lab: 'kv-cache', ...m.params, ...(p.weights !== 'bf16' ? { weights: p.weights } : {}) });
  const decode = q({
    lab: 'decode',
    costModel: m.params.model,
    ...(m.params.config ? { config: m.params.config } : {}),
    costGpu: r.gpu.id,
  });
  const weightsPerGpu = weightBytesOf(r.model) / r.tp;
  const kvUsedPerGpu = (batch * kvPerUser) / r.tp;
  const engine = MEMORY_UTILIZATION * r.gpu.memBytes;
  const peakName = r.matmulPeak === 'fp8' ? 'FP8' : 'BF16';
  const peakTflops = r.profile.flopsPerS / r.tp / 1e12;
  return {
    model: m.name,
    gpu: r.gpu.name,
    gpus,
    dollarsPerHour: gpus * price,
    priceSource: source,
    capacityBytes: r.gpu.memBytes,
    memory: [
      { label: `Weights (${fmt.label})`, bytes: weightsPerGpu },
      { label: `KV cache (${batch} × ${p.context.toLocaleString('en-US')} tokens)`, bytes: kvUsedPerGpu },
      { label: 'KV room unused', bytes: Math.max(0, engine - weightsPerGpu - kvUsedPerGpu) },
      { label: 'Reserved (10 %)', bytes: r.gpu.memBytes - engine },
    ],
    figures: [
      {
        label: 'GPUs',
        value: `${gpus.toLocaleString('en-US')} × ${r.gpu.name}`,
        how: `${replicas.toLocaleString('en-US')} replicas × ${r.tp} GPU${r.tp > 1 ? 's' : ''} (tensor parallel)`,
        link: serving,
      },
      {
        label: 'Replica',
        value: `tensor parallel ${r.tp}`,
        how: 'fewest GPUs (power of two) holding the weights with a quarter of memory left for KV; two all-reduces per layer when t > 1',
        link: serving,
      },
      {
        label: 'Weights',
        value: `${gb(weightBytesOf(r.model))} in ${fmt.label}`,
        how: `${(r.model.params / 1e9).toFixed(1)} B parameters × ${fmt.bytesPerWeight.toFixed(fmt.bytesPerWeight % 1 ? 3 : 0)} B (${fmt.note}); ${gb(weightsPerGpu)} per GPU`,
        link: serving,
      },
      {
        label: 'KV cache per user',
        value: gb(kvPerUser),
        how: `${p.context.toLocaleString('en-US')} tokens × ${r.model.kvBytesPerToken.toLocaleString('en-US')} B per token (${r.model.attention}, 16-bit)`,
        link: kv,
      },
      {
        label: 'Time to first token',
        value: fmtS(ttft),
        how: `prefill of ${p.prompt.toLocaleString('en-US')} tokens: (2 × ${(r.model.activeMatmulParams / 1e9).toFixed(1)} B active parameters × prompt + ${(pre.attentionFlops / 1e12).toFixed(1)} TFLOP of causal attention) = ${(pre.flops / 1e15).toFixed(2)} PFLOP at an assumed ${Math.round(PREFILL_MFU * 100)} % of ${r.tp} × ${peakTflops.toFixed(0)} TFLOP/s ${peakName} = ${fmtS(pre.seconds)}${pre.allReduceS > 0 ? ' with its all-reduces' : ''}, plus the ${fmtS(step)} step in flight`,
        link: serving,
      },
      {
        label: 'Users per replica',
        value: `${batch.toLocaleString('en-US')}`,
        how:
          batch < memUsers
            ? `limited by the ${p.tpotMs} ms TPOT target with prefills (memory would hold ${memUsers}; without the prefills ${decodeOnly === memUsers ? 'memory would be the limit' : `the step would allow ${decodeOnly}`})`
            : `limited by KV memory (${gb(r.kvBytes)} per replica)`,
        link: serving,
      },
      {
        label: 'Time per output token',
        value: `${(step * 1000).toFixed(1)} ms`,
        how: `roofline decode step at that batch (weights + every context’s K/V from HBM, plus the all-reduces) + ${batch} ÷ ${p.output.toLocaleString('en-US')} prompts’ prefills per step`,
        link: decode,
      },
      {
        label: 'Cost',
        value: `${money(gpus * price)}/hour`,
        how: `${gpus.toLocaleString('en-US')} GPUs × ${money(price)} per GPU-hour, ${source}`,
        link: null,
      },
    ],
  };
}

/** Layouts tried, smallest model-parallel group first: the first that fits the GPU's memory wins. */
const TPS = [1, 2, 4, 8];
const PPS = [1, 2, 4, 8, 16, 32, 64];

export function trainPlan(p: PlanInput): Plan {
  const m = modelOf(p);
  const cg = findClusterGpu(p.gpu);
  if (!cg) throw new RangeError(`The cluster model has no "${p.gpu}": pick a datacenter GPU.`);
  const active = countParams(m.arch).active;
  const tokens = p.trainTokensB * 1e9;
  const flops = 6 * active * tokens;
  const gpuSeconds = flops / (cg.bf16Tflops * 1e12 * p.mfu);
  const gpus = Math.max(cg.gpusPerNode, Math.ceil(gpuSeconds / (p.days * 86400) / cg.gpusPerNode) * cg.gpusPerNode);
  const shape = shapeOfArch(m.arch, 4096);
  let found: { c: ParallelConfig; mem: MemoryBreakdown } | null = null;
  for (const strategy of ['zero1', 'zero3'] as const) {
    for (const tp of TPS) {
      for (const pp of PPS) {
        if (gpus % (tp * pp) !== 0) continue;
        const c: ParallelConfig = {
          gpus,
          tp,
          pp,
          sp: tp > 1,
          microBatch: 1,
          microBatches: Math.max(pp, 8),
          strategy,
          recompute: 'selective',
          precision: 'bf16',
          offload: 'none',
          schedule: '1f1b',
          chunks: 1,
        };
        if (layoutProblems(c, shape.layers, shape.heads).length) continue;
        const mem = memoryPerGpu(shape, c);
        if (mem.total <= cg.memoryGB * 1e9) {
          found = { c, mem };
          break;
        }
      }
      if (found) break;
    }
    if (found) break;
  }
  if (!found)
    throw new RangeError(
      `${m.name} does not fit ${gpus} × ${cg.name} with up to 8-way tensor and 64-way pipeline parallelism and ZeRO-3: pick a GPU with more memory.`,
    );
  const { c, mem } = found;
  const { price, source } = priceOf(p);
  const cluster = q({
    lab: 'cluster',
    ...m.params,
    gpu: cg.id,
    gpus,
    tp: c.tp,
    pp: c.pp,
    sp: c.sp,
    strategy: c.strategy,
    microBatch: 1,
    seq: 4096,
    recompute: 'selective',
  });
  return {
    model: m.name,
    gpu: cg.name,
    gpus,
    dollarsPerHour: gpus * price,
    priceSource: source,
    capacityBytes: cg.memoryGB * 1e9,
    memory: [
      { label: 'Weights', bytes: mem.params },
      { label: 'Gradients', bytes: mem.grads },
      { label: 'Optimizer states', bytes: mem.optimizer },
      { label: 'Activations', bytes: mem.activations },
      { label: 'Gather buffers', bytes: mem.buffers },
    ],
    figures: [
      {
        label: 'GPUs',
        value: `${gpus.toLocaleString('en-US')} × ${cg.name}`,
        how: `6 × ${(active / 1e9).toFixed(1)} B active parameters × ${p.trainTokensB.toLocaleString('en-US')} B tokens ÷ (${Math.round(p.mfu * 100)}% of ${cg.bf16Tflops} TFLOP/s × ${p.days} days), whole nodes`,
        link: cluster,
      },
      {
        label: 'Parallelism',
        value: `TP ${c.tp} × PP ${c.pp} × DP ${gpus / (c.tp * c.pp)}, ${c.strategy === 'zero1' ? 'ZeRO-1' : 'ZeRO-3'}`,
        how: 'smallest tensor × pipeline group whose fullest GPU fits its memory (selective recompute, sequence parallel with TP, 4,096-token sequences, micro-batch 1)',
        link: cluster,
      },
      {
        label: 'Memory per GPU',
        value: `${gb(mem.total)} of ${cg.memoryGB} GB`,
        how: 'ZeRO’s (2 + 2 + 12)Ψ sharded, Korthikanti et al.’s activations',
        link: cluster,
      },
      {
        label: 'Cost',
        value: `${money(gpus * price)}/hour, ${money(gpus * price * p.days * 24)} for the run`,
        how: `${gpus.toLocaleString('en-US')} GPUs × ${money(price)} per GPU-hour, ${source}`,
        link: null,
      },
    ],
  };
}

export function plan(p: PlanInput): Plan {
  return p.mode === 'serve' ? servePlan(p) : trainPlan(p);
}
