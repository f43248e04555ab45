import { adamwStep } from '../../kernels/adamw/reference';
import { argmaxRows } from '../accuracy';
import type { GptConfig } from '../config';
import { gptForward, gptForwardBackward } from '../cpu/gpt';
import { paramLayout } from '../layout';
import type { Batch } from '../task';
import type { OptimizerState, TrainBackend } from './backend';
import type { TrainSpec } from './hyper';

/** A 0/1 per parameter: AdamW decays this one (the layout's `decay`). */
export function decayMask(c: GptConfig): Uint8Array<ArrayBuffer> {
  const layout = paramLayout(c);
  const mask = new Uint8Array(layout.total);
  for (const t of layout.tensors) if (t.decay) mask.fill(1, t.offset, t.offset + t.size);
  return mask;
}

/**
 * The float64 reference as a trainer backend: weights and moments stored as float32 (the GPU's
 * storage) and rounded once when written back; each step computed in float64 (the CPU model and
 * the AdamW reference). Slow, exact and deterministic: the yardstick for the GPU step and the
 * tfjs peer, and what trains where there is no WebGPU.
 */
export class CpuBackend implements TrainBackend {
  readonly name = 'cpu-float64';
  private state: OptimizerState;
  private readonly decay: Uint8Array;

  constructor(
    private readonly spec: TrainSpec,
    params: Float32Array,
  ) {
    const n = paramLayout(spec.model).total;
    if (params.length !== n) throw new Error(`Expected ${n} parameters, got ${params.length}.`);
    this.state = { params: params.slice(), m: new Float32Array(n), v: new Float32Array(n) };
    this.decay = decayMask(spec.model);
  }

  async step(batch: Batch, lr: number, t: number) {
    const { loss, grads } = gptForwardBackward(
      this.spec.model,
      Float64Array.from(this.state.params),
      batch.inputs,
      batch.targets,
    );
    const s = this.spec;
    const r = adamwStep(
      this.state.params,
      grads,
      this.state.m,
      this.state.v,
      { lr, step: t, beta1: s.beta1, beta2: s.beta2, eps: s.eps, weightDecay: s.weightDecay, maxNorm: s.clip },
      this.decay,
    );
    this.state = { params: Float32Array.from(r.params), m: Float32Array.from(r.m), v: Float32Array.from(r.v) };
    // No per-kernel split: the CPU reference is one loop nest, not kernels (the trainer times the step).
    return { loss, gradNorm: r.gradNorm };
  }

  async evaluate(batch: Batch) {
    const { loss, logits } = gptForward(
      this.spec.model,
      Float64Array.from(this.state.params),
      batch.inputs,
      batch.targets,
    );
    return { loss, predictions: argmaxRows(logits, this.spec.model.vocab) };
  }

  async readState(): Promise<OptimizerState> {
    return { params: this.state.params.slice(), m: this.state.m.slice(), v: this.state.v.slice() };
  }

  async writeState(s: OptimizerState): Promise<void> {
    this.state = { params: s.params.slice(), m: s.m.slice(), v: s.v.slice() };
  }

  dispose(): void {}
}
