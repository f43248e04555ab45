import type { LabRunContext } from '../../labkit/contract';
import { parameterCount, trainingFlopsPerToken, type TrainingFlops } from '../../model/count';
import { paramLayout } from '../../model/layout';
import { answerLength, exampleLength, exampleText, examplesPerRow, heldOutPairs, TrainSampler } from '../../model/task';
import { VOCAB } from '../../model/tokenizer';
import { specOf, type TrainParams } from './spec';

export interface TensorGroup {
  name: string;
  count: number;
}

/** What the model and task are, before any training: the numbers shown next to the model. */
export interface TrainSummary {
  parameters: number;
  flops: TrainingFlops;
  tokensPerStep: number;
  groups: TensorGroup[];
  exampleLength: number;
  examplesPerRow: number;
  answerDigits: number;
  vocab: number;
  lnVocab: number;
  trainExamples: string[];
  heldOutExamples: string[];
}

/** Pure and instant: checks the configuration and describes it; training runs from the view's panel. */
export async function runTrain(ctx: LabRunContext, p: TrainParams): Promise<TrainSummary> {
  const spec = specOf(p);
  const { model: c, task } = spec;
  const layout = paramLayout(c);
  const groups = new Map<string, number>();
  for (const t of layout.tensors) {
    const key = t.name.replace(/^h\d+\./, 'blocks · ').replace(/\.(g|b)$/, '');
    groups.set(key, (groups.get(key) ?? 0) + t.size);
  }
  const sampler = TrainSampler.fresh(task, 12345);
  ctx.progress(1, 'described');
  return {
    parameters: parameterCount(c),
    flops: trainingFlopsPerToken(c),
    tokensPerStep: c.batch * c.context,
    groups: [...groups].map(([name, count]) => ({ name, count })),
    exampleLength: exampleLength(task),
    examplesPerRow: examplesPerRow(task, c.context),
    answerDigits: answerLength(task),
    vocab: VOCAB,
    lnVocab: Math.log(VOCAB),
    trainExamples: [0, 1, 2].map(() => exampleText(task, ...sampler.nextPair())),
    heldOutExamples: heldOutPairs(task, 3).map(([a, b]) => exampleText(task, a, b)),
  };
}
