import type { LabRunContext, ParamsOf } from '../../labkit/contract';
import {
  LLAMA3_RATE_PER_GPU_HOUR,
  dalyInterval,
  deepspeedZero3Estimate,
  expectedGoodput,
  expertProblems,
  failureProblems,
  findGpu,
  findModel,
  largestLayerParams,
  layoutProblems,
  memoryPerGpu,
  microBatchesFor,
  paramCount,
  pipelineProblems,
  pipelineSchedule,
  scalingCurve,
  shapeProblems,
  simulateFailures,
  stepTime,
  STRATEGIES,
  youngInterval,
  type ClusterGpu,
  type FailureConfig,
  type FailureResult,
  type MemoryBreakdown,
  type ModelShape,
  type ParallelConfig,
  type PipeTimeline,
  type ScalingPoint,
  type StepTime,
  type Strategy,
} from '../../sim/cluster';
import { decodeConfig, describeProblems } from '../../catalog';
import { shapeOfArch } from '../../sim/cluster/models';
import type { meta } from './meta';

export type ClusterParams = ParamsOf<typeof meta.schema>;

export interface SweepPoint {
  intervalH: number;
  /** From the simulation (same seed at every interval, so the curve's shape is not luck). */
  goodput: number;
  /** Daly 2006's expected goodput for the same C, R and MTBF (transient failures only). */
  daly: number;
}

export interface ClusterResult {
  model: ModelShape & { name: string; params: number };
  gpu: ClusterGpu;
  /** Problems with the job layout; memory and time are not computed while there are any. */
  layoutProblems: string[];
  config: ParallelConfig | null;
  /** The chosen strategy first, then the others, for the comparison bars. */
  memory: { strategy: Strategy; m: MemoryBreakdown }[];
  /** DeepSpeed's own ZeRO-3 estimate of model states for this model on this many GPUs. */
  deepspeed: { gpuBytes: number; cpuBytes: number } | null;
  step: StepTime | null;
  scaling: ScalingPoint[];
  pipeline: { timeline: PipeTimeline | null; problems: string[]; stages: number; microbatches: number; chunks: number };
  failure: {
    problems: string[];
    config: FailureConfig | null;
    result: FailureResult | null;
    checkpointBytes: number;
    mtbfH: number;
    youngH: number;
    dalyH: number;
    sweep: SweepPoint[];
  };
}

/** The user's config.json from the URL, or why it cannot be used (named fields). */
export function ownModelOf(p: Pick<ClusterParams, 'config' | 'seq'>): {
  shape: (ModelShape & { name: string }) | null;
  problem: string | null;
} {
  if (!p.config) return { shape: null, problem: 'no config.json yet: paste or drop one in the box above the charts' };
  const r = decodeConfig(p.config);
  if (!r.ok) return { shape: null, problem: `your config.json cannot be used (${describeProblems(r.problems)})` };
  return {
    shape: { name: `Your model (${r.config.model_type ?? 'config.json'})`, ...shapeOfArch(r.arch, p.seq) },
    problem: null,
  };
}

export function modelOf(p: ClusterParams): ModelShape & { name: string } {
  if (p.model === 'own') {
    const own = ownModelOf(p).shape;
    if (own) return own;
  }
  const preset = p.model === 'custom' || p.model === 'own' ? undefined : findModel(p.model);
  if (preset) return { ...preset, seq: p.seq };
  return { name: 'Custom', layers: p.layers, hidden: p.hidden, heads: p.heads, vocab: p.vocab, seq: p.seq };
}

/** The failure simulation's inputs from the lab's controls: checkpoint and restart times from bytes and bandwidths. */
export function failureConfigOf(p: ClusterParams, gpu: ClusterGpu, params: number, horizonH: number) {
  const nodes = Math.max(1, Math.round(p.gpus / gpu.gpusPerNode));
  // A checkpoint holds the 16-bit weights and the optimizer states: (2 + 12) bytes per parameter
  // in mixed precision, (4 + 8) in fp32. Gradients are not saved.
  const checkpointBytes = params * (p.precision === 'fp32' ? 12 : 14);
  // Remote: the job shares one storage bandwidth. Local: each node writes its shard and a copy of a
  // buddy node's (so one lost node's shard survives), at its own disk's speed.
  const writeS =
    p.storage === 'remote'
      ? checkpointBytes / (p.remoteGBps * 1e9)
      : (2 * checkpointBytes) / nodes / (p.localGBps * 1e9);
  const readS =
    p.storage === 'remote' ? checkpointBytes / (p.remoteGBps * 1e9) : checkpointBytes / nodes / (p.localGBps * 1e9);
  // Asynchronous checkpoints stall while each GPU copies its shard to host memory over PCIe (~25 GB/s).
  const snapshotS = checkpointBytes / p.gpus / 25e9;
  const rate = p.failureModel === 'llama3' ? LLAMA3_RATE_PER_GPU_HOUR : p.customRate / 1000 / 24;
  const cfg: FailureConfig = {
    gpus: p.gpus,
    gpusPerNode: gpu.gpusPerNode,
    failuresPerGpuHour: rate,
    hardwareFraction: p.hwShare,
    intervalH: p.intervalMin / 60,
    writeH: writeS / 3600,
    async: p.ckptMode === 'async',
    snapshotH: snapshotS / 3600,
    restartH: p.restartMin / 60 + readS / 3600,
    policy: p.policy,
    spareNodes: p.spares,
    repairH: p.repairH,
    minFraction: 0.5,
    horizonH,
    seed: p.seed,
    injectAtH: p.crashAtHour > 0 ? p.crashAtHour : null,
  };
  return { cfg, checkpointBytes };
}

/** Checkpoint intervals around the Young/Daly optimum, log-spaced, each simulated long enough to see ~300 failures. */
export function intervalSweep(base: FailureConfig, centreH: number, points = 17): SweepPoint[] {
  const mtbf = 1 / (base.failuresPerGpuHour * base.gpus);
  const out: SweepPoint[] = [];
  const C = base.async ? base.snapshotH : base.writeH;
  for (let i = 0; i < points; i++) {
    const intervalH = centreH * 2 ** ((i - (points - 1) / 2) / 2);
    // ~300 failures per point, but at most ~10k checkpoints, so a whole sweep takes ~0.1 s.
    const horizonH = Math.min(Math.max(300 * mtbf, 200), 100_000, 10_000 * intervalH);
    const r = simulateFailures({ ...base, intervalH, horizonH, injectAtH: null, maxTimeline: 0 });
    out.push({ intervalH, goodput: r.goodput, daly: expectedGoodput(intervalH, C, base.restartH, mtbf) });
  }
  return out;
}

const GANTT_FORWARD = 1;
const GANTT_BACKWARD = 2;

export async function runCluster(ctx: LabRunContext, p: ClusterParams): Promise<ClusterResult> {
  const gpu = findGpu(p.gpu) ?? findGpu('h100-sxm')!;
  const shape = modelOf(p);
  const params = paramCount(shape);
  const ownProblem = p.model === 'own' ? ownModelOf(p).problem : null;
  const problems = ownProblem ? [ownProblem] : [...shapeProblems(shape)];
  const m0 = microBatchesFor(p.globalBatch, {
    gpus: p.gpus,
    tp: p.tp,
    pp: p.pp,
    microBatch: p.microBatch,
    schedule: p.schedule,
  });
  const config: ParallelConfig = {
    gpus: p.gpus,
    tp: p.tp,
    pp: p.pp,
    sp: p.sp,
    microBatch: p.microBatch,
    microBatches: Math.max(1, m0),
    strategy: p.strategy,
    recompute: p.recompute,
    precision: p.precision,
    offload: p.offload,
    schedule: p.schedule,
    chunks: p.schedule === 'interleaved' ? p.chunks : 1,
    ep: p.ep,
  };
  if (!problems.length)
    problems.push(
      ...layoutProblems(config, shape.layers, shape.heads),
      ...expertProblems(shape, p.ep, p.gpus / (p.tp * p.pp)),
    );
  if (!problems.length && m0 === 0) {
    problems.push(
      `the global batch (${p.globalBatch} sequences) is smaller than one micro-batch of ${p.microBatch} on each of the ${p.gpus / (p.tp * p.pp)} data-parallel replicas`,
    );
  }
  ctx.progress(0.1, 'memory and step time');

  let memory: ClusterResult['memory'] = [];
  let step: StepTime | null = null;
  let scaling: ScalingPoint[] = [];
  let deepspeed: ClusterResult['deepspeed'] = null;
  if (!problems.length) {
    const order = [p.strategy, ...STRATEGIES.filter((s) => s !== p.strategy)];
    memory = order.map((strategy) => {
      // DDP has nothing to offload; parameter offload needs ZeRO-3: those bars show the nearest valid setting.
      const offload =
        strategy === 'ddp'
          ? 'none'
          : strategy !== 'zero3' && config.offload === 'params'
            ? 'optimizer'
            : config.offload;
      return { strategy, m: memoryPerGpu(shape, { ...config, strategy, offload }) };
    });
    const links = {
      intraGBps: p.intraGBps > 0 ? p.intraGBps : undefined,
      interGBps: p.interGBps > 0 ? p.interGBps : undefined,
    };
    step = stepTime({ model: shape, config, gpu, efficiency: p.efficiency, overlap: p.overlap, ...links });
    const counts: number[] = [];
    for (let n = 1; n <= 16384; n *= 2) counts.push(n);
    scaling = scalingCurve(
      { model: shape, config, gpu, efficiency: p.efficiency, overlap: p.overlap, globalBatch: p.globalBatch, ...links },
      counts,
    );
    const nodes = Math.max(1, Math.ceil(p.gpus / gpu.gpusPerNode));
    const e = deepspeedZero3Estimate(params, Math.max(largestLayerParams(shape), shape.vocab * shape.hidden), {
      gpusPerNode: Math.min(p.gpus, gpu.gpusPerNode),
      nodes,
      offloadParams: p.offload === 'params',
      offloadOptimizer: p.offload !== 'none',
      zeroInit: true,
    });
    deepspeed = { gpuBytes: e.gpuBytes, cpuBytes: e.cpuBytes };
  }

  ctx.progress(0.3, 'pipeline schedule');
  const pipeOpts = {
    stages: p.ganttStages,
    microbatches: p.ganttMicrobatches,
    schedule: p.schedule,
    chunks: p.schedule === 'interleaved' ? p.chunks : 1,
    forward: GANTT_FORWARD,
    backward: GANTT_BACKWARD,
  };
  const pipeProblems = pipelineProblems(pipeOpts);
  const timeline = pipeProblems.length ? null : pipelineSchedule(pipeOpts);

  ctx.progress(0.5, 'failure simulation');
  const { cfg, checkpointBytes } = failureConfigOf(p, gpu, params, p.days * 24);
  const fProblems = [...failureProblems(cfg)];
  if (cfg.failuresPerGpuHour <= 0 && !fProblems.length)
    fProblems.push('the failure rate is 0: nothing fails, so there is no checkpoint interval to choose');
  const mtbfH = cfg.failuresPerGpuHour > 0 ? 1 / (cfg.failuresPerGpuHour * cfg.gpus) : Infinity;
  const C = cfg.async ? cfg.snapshotH : cfg.writeH;
  let result: FailureResult | null = null;
  let sweep: SweepPoint[] = [];
  if (!failureProblems(cfg).length) result = simulateFailures(cfg);
  if (!fProblems.length) {
    if (ctx.signal.aborted) throw new DOMException('cancelled', 'AbortError');
    ctx.progress(0.7, 'checkpoint-interval sweep');
    sweep = intervalSweep(cfg, Math.max(youngInterval(C, mtbfH), 1 / 60));
  }
  ctx.progress(1);
  return {
    model: { ...shape, params },
    gpu,
    layoutProblems: problems,
    config: problems.length ? null : config,
    memory,
    deepspeed,
    step,
    scaling,
    pipeline: {
      timeline,
      problems: pipeProblems,
      stages: pipeOpts.stages,
      microbatches: pipeOpts.microbatches,
      chunks: pipeOpts.chunks,
    },
    failure: {
      problems: fProblems,
      config: failureProblems(cfg).length ? null : cfg,
      result,
      checkpointBytes,
      mtbfH,
      youngH: youngInterval(C, mtbfH),
      dalyH: dalyInterval(C, mtbfH),
      sweep,
    },
  };
}
