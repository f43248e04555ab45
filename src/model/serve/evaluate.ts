import { argmaxRows } from '../accuracy';
import { gptForward } from '../cpu/gpt';
import { decodeCheckpoint, type Checkpoint } from '../train/checkpoint';
import { answerLength, heldOutPairs, packBatch, type AdditionTask } from '../task';
import { decode } from '../tokenizer';
import { serveModel, type ServeModel } from './cachedForward';
import { MODEL_VARIANTS, quantizeModel, VARIANT_NAMES, type ModelVariant, type QuantizedModel } from './quantized';

/** A checkpoint (src/model/train/checkpoint.ts) as a model to serve, with the task it was trained on. */
export interface LoadedModel {
  model: ServeModel;
  task: AdditionTask;
  step: number;
  /** The held-out exact match the trainer last measured, if it evaluated. */
  trainedAccuracy: number | null;
}

export function loadCheckpoint(bytes: Uint8Array): LoadedModel {
  return loadCheckpointFrom(decodeCheckpoint(bytes));
}

/** An already decoded checkpoint (a saved model the Train lab stored) as a model to serve. */
export function loadCheckpointFrom(ck: Checkpoint): LoadedModel {
  const last = ck.evals[ck.evals.length - 1];
  return {
    model: serveModel(ck.spec.model, ck.state.params),
    task: ck.spec.task,
    step: ck.step,
    trainedAccuracy: last ? last.accuracy : null,
  };
}

export interface Evaluation {
  /** Fraction of examples whose whole answer is right. */
  accuracy: number;
  /** exp(mean cross-entropy over answer tokens). */
  perplexity: number;
  /** The answer each example gets (greedy digits, least significant first). */
  answers: string[];
}

/**
 * Held-out exact match and perplexity in one teacher-forced forward: with the true prefix, the
 * argmax at every answer position is what greedy decoding writes as long as it is right (see
 * src/model/accuracy.ts), so an example is exact iff every answer argmax matches.
 */
export function evaluate(m: ServeModel, task: AdditionTask, pairs: [number, number][]): Evaluation {
  const batch = packBatch(task, m.config.context, pairs);
  const { loss, logits } = gptForward(m.config, m.params, batch.inputs, batch.targets);
  const pred = argmaxRows(logits, m.config.vocab);
  const A = answerLength(task);
  let right = 0;
  const answers = Array.from(batch.answerStarts, (start) => {
    let ok = true;
    const digits: number[] = [];
    for (let j = 0; j < A; j++) {
      digits.push(pred[start + j]);
      ok &&= pred[start + j] === batch.targets[start + j];
    }
    if (ok) right++;
    return decode(digits);
  });
  return { accuracy: pairs.length ? right / pairs.length : 0, perplexity: Math.exp(loss), answers };
}

export interface VariantRow extends Evaluation {
  variant: ModelVariant;
  name: string;
  weightBytes: number;
  /** Answers that differ from the f32 model's. */
  changed: number;
  awqAlpha: Record<string, number>;
  /** The quantized model itself (packed weights for the GPU forward). */
  quantized: QuantizedModel;
}

/**
 * The held-out split cut in two: AWQ calibrates on the first `calibration` pairs, every variant
 * is scored on the next `count`, so no variant is scored on what it was tuned on.
 */
export function splitHeldOut(
  task: AdditionTask,
  calibration: number,
  count: number,
): { calib: [number, number][]; evalPairs: [number, number][] } {
  const all = heldOutPairs(task, calibration + count);
  return { calib: all.slice(0, calibration), evalPairs: all.slice(calibration) };
}

/** Every weight format of the model, scored on the same held-out examples. */
export function quantizationTable(
  m: ServeModel,
  task: AdditionTask,
  calibration = 32,
  count = 256,
  variants = MODEL_VARIANTS,
): VariantRow[] {
  const { calib, evalPairs } = splitHeldOut(task, calibration, count);
  const calibSeqs = Array.from(packBatch(task, m.config.context, calib).inputs).reduce<number[][]>((rows, tok, i) => {
    if (i % m.config.context === 0) rows.push([]);
    rows[rows.length - 1].push(tok);
    return rows;
  }, []);
  const base = evaluate(m, task, evalPairs);
  return variants.map((variant) => {
    const q = quantizeModel(m, variant, calibSeqs);
    const e = variant === 'f32' ? base : evaluate(q.model, task, evalPairs);
    const changed = e.answers.reduce((a, ans, i) => a + (ans === base.answers[i] ? 0 : 1), 0);
    return {
      ...e,
      variant,
      name: VARIANT_NAMES[variant],
      weightBytes: q.weightBytes,
      changed,
      awqAlpha: q.awqAlpha,
      quantized: q,
    };
  });
}
