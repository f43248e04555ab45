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

export interface StepResult {
  loss: number;
  /** The gradient's global norm before clipping. */
  gradNorm: number;
  timing?: StepTiming;
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
  dispose(): void;
}
