/**
 * How a training job is laid out over GPUs: the data-, tensor- and pipeline-parallel degrees, the
 * ZeRO stage, precision, activation recompute and offload. Shared by the memory and time models.
 */
export type Strategy = 'ddp' | 'zero1' | 'zero2' | 'zero3';
export type Recompute = 'none' | 'selective' | 'full';
/** 'fp32' trains in float32; 'bf16' and 'fp16' are mixed precision with fp32 master weights. */
export type Precision = 'fp32' | 'bf16' | 'fp16';
/** ZeRO-Offload moves optimizer states (and sharded gradients) to CPU; ZeRO-Infinity also parameters. */
export type Offload = 'none' | 'optimizer' | 'params';
export type Schedule = 'gpipe' | '1f1b' | 'interleaved';

export interface ParallelConfig {
  /** GPUs in the job: data × tensor × pipeline. */
  gpus: number;
  /** Tensor-parallel degree t (Megatron column/row split of every layer). */
  tp: number;
  /** Pipeline-parallel degree p (stages of consecutive layers). */
  pp: number;
  /** Megatron sequence parallelism: shards LayerNorm/dropout activations over the TP group. */
  sp: boolean;
  /** Sequences per micro-batch b. */
  microBatch: number;
  /** Micro-batches per optimizer step on each replica m (gradient accumulation / pipeline fill). */
  microBatches: number;
  strategy: Strategy;
  recompute: Recompute;
  precision: Precision;
  offload: Offload;
  schedule: Schedule;
  /** Model chunks per GPU v for the interleaved schedule (1 otherwise). */
  chunks: number;
  /** Expert-parallel degree e for MoE models (moe.ts): experts split over e ranks of the data-parallel group. */
  ep?: number;
}

/** The data-parallel degree N_d = GPUs / (t · p): the group ZeRO shards over (not the GPU count). */
export function dataParallel(c: Pick<ParallelConfig, 'gpus' | 'tp' | 'pp'>): number {
  return c.gpus / (c.tp * c.pp);
}

export const ZERO_STAGE: Record<Strategy, number> = { ddp: 0, zero1: 1, zero2: 2, zero3: 3 };

/** Problems with a layout, each a sentence naming the control; empty when it can run. */
export function layoutProblems(c: ParallelConfig, layers: number, heads: number): string[] {
  const out: string[] = [];
  const dp = dataParallel(c);
  if (!Number.isInteger(dp) || dp < 1) {
    out.push(`GPUs (${c.gpus}) must be a multiple of tensor × pipeline parallel (${c.tp} × ${c.pp} = ${c.tp * c.pp})`);
  }
  if (c.pp > layers) out.push(`pipeline stages (${c.pp}) cannot exceed the model's ${layers} layers`);
  if (heads % c.tp !== 0) out.push(`tensor parallel degree ${c.tp} must divide the ${heads} attention heads`);
  if (c.sp && c.tp === 1)
    out.push('sequence parallelism shards over the tensor-parallel group: set tensor parallel above 1');
  if (c.offload !== 'none' && c.strategy === 'ddp')
    out.push('CPU offload is a ZeRO feature: choose ZeRO stage 1, 2 or 3');
  if (c.offload === 'params' && c.strategy !== 'zero3')
    out.push('offloading parameters needs them sharded: choose ZeRO-3');
  if (c.schedule === 'interleaved') {
    if (c.pp < 2) out.push('the interleaved schedule needs at least 2 pipeline stages');
    if (c.chunks < 2) out.push('the interleaved schedule needs at least 2 model chunks per GPU');
    if (c.pp > 1 && c.microBatches % c.pp !== 0) {
      out.push(
        `the interleaved schedule needs micro-batches (${c.microBatches}) to be a multiple of pipeline stages (${c.pp})`,
      );
    }
    if (c.pp * c.chunks > layers) out.push(`${c.pp} stages × ${c.chunks} chunks exceed the model's ${layers} layers`);
  }
  return out;
}
