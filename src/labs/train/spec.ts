import type { ParamsOf } from '../../labkit/contract';
import { validateConfig, type GptConfig } from '../../model/config';
import { validateTask, type AdditionTask } from '../../model/task';
import { VOCAB } from '../../model/tokenizer';
import { defaultSpec, type TrainSpec } from '../../model/train/hyper';
import type { meta } from './meta';

export type TrainParams = ParamsOf<typeof meta.schema>;

/** The lab's parameters as a training spec; throws ModelConfigError / TaskError naming the field. */
export function specOf(p: TrainParams): TrainSpec {
  const model: GptConfig = validateConfig({
    layers: p.layers,
    dModel: p.dModel,
    heads: p.heads,
    context: p.context,
    vocab: VOCAB,
    batch: p.batch,
  });
  const task: AdditionTask = { digits: p.digits, splitSeed: 1 };
  validateTask(task, model.context);
  return {
    ...defaultSpec(model, task, p.seed),
    steps: p.steps,
    lr: p.lr,
    warmup: Math.min(50, Math.max(1, Math.floor(p.steps / 10))),
    // GradScaler's start (2^16); growth every 200 clean steps rather than 2000, so a lab run sees it.
    ...(p.precision === 'f16' ? { mixed: { initScale: 2 ** 16, growthInterval: 200 } } : {}),
  };
}
