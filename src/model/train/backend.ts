import type { KernelCost } from '../../kernels/types';
import type { Batch } from '../task';

/** Weights and AdamW moments, float32, in the flat layout (what a checkpoint stores). */
export interface OptimizerState {
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

/** Where one step's time went, in ms, by kind of kernel (the lab's stacked bar). */
export interface StepTiming {
  matmul: number;
  attention: number;
  norms: number;
  /** Embeddings, GELU, cross-entropy and residual adds. */
  elementwise: number;
  optimizer: number;
  /** Building and uploading the batch. */
  data: number;
  /** 'timestamp' when from GPU timestamp queries, 'wall' when from the CPU clock. */
  source: 'timestamp' | 'wall';
}

/** FLOPs and bytes of one step by kind of kernel, from the kernels' cost models (the roofline's x). */
export type StepCost = Record<Exclude<keyof StepTiming, 'data' | 'source'>, KernelCost>;

/** Mixed precision's loss scaler between steps (a checkpoint stores it, for a bit-identical resume). */
export interface ScalerState {
  scale: number;
  /** Clean steps since the scale last changed. */
  clean: number;
}

export interface StepResult {
  loss: number;
  /** The gradient's global norm before clipping. */
  gradNorm: number;
  timing?: StepTiming;
  /** Mixed precision: the scale this step used, whether it overflowed (and was skipped), and fp16's toll. */
  mixed?: {
    scale: number;
    skipped: boolean;
    /** Nonzero gradients that became 0 in fp16 at this scale, and those counted. */
    underflow: number;
    nonzero: number;
  };
}

export interface EvalResult {
  loss: number;
  /** Argmax token at every position, [rows·T]. */
  predictions: Int32Array;
}

/**
 * One way of running the model: the float64 CPU reference or the GPU step on our kernels. The
 * trainer (schedule, data, evaluation, checkpoints) is the same for both, so a resume test or the
 * tfjs comparison exercises the same loop whichever does the arithmetic.
 */
export interface TrainBackend {
  readonly name: string;
  /** Forward, backward, clip and AdamW on one batch at learning rate lr; t is the 1-based step. */
  step(batch: Batch, lr: number, t: number): Promise<StepResult>;
  evaluate(batch: Batch): Promise<EvalResult>;
  /** Weights and AdamW moments as float32 (copies). */
  readState(): Promise<OptimizerState>;
  writeState(state: OptimizerState): Promise<void>;
  /** The step's cost by kind of kernel, where the backend runs kernels (the GPU step). */
  stepCost?(): StepCost;
  /** The loss scaler's state, where the backend trains in mixed precision. */
  scaler?: ScalerState;
  dispose(): void;
}
