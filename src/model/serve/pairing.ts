import type { LoadedModel } from './evaluate';

/**
 * Speculative decoding only works when the draft and the target speak the same language: the
 * target verifies the draft's token ids, so both must use one vocabulary, one way of writing the
 * task (the same prompt and answer tokens), and room for the same prompt plus γ proposals. Any
 * model can replace either checkpoint; a pair that breaks one of these is refused, named by field.
 */
export type PairField = 'vocab' | 'tokenizer' | 'context';

export class ModelPairError extends Error {
  constructor(
    readonly field: PairField,
    message: string,
  ) {
    super(message);
    this.name = 'ModelPairError';
  }
}

/** Throws ModelPairError naming the first mismatch between draft and target; returns nothing when they fit. */
export function checkPair(target: LoadedModel, draft: LoadedModel, names = { target: 'target', draft: 'draft' }): void {
  const t = target.model.config;
  const d = draft.model.config;
  if (t.vocab !== d.vocab)
    throw new ModelPairError(
      'vocab',
      `Vocabulary mismatch: the ${names.draft} has ${d.vocab} tokens, the ${names.target} ${t.vocab}; the ${names.target} cannot verify token ids it does not share.`,
    );
  if (draft.task.digits !== target.task.digits)
    throw new ModelPairError(
      'tokenizer',
      `Tokenizer mismatch: the ${names.draft} writes ${draft.task.digits}-digit sums, the ${names.target} ${target.task.digits}-digit ones, so their prompts and answers are different token sequences.`,
    );
  if (t.context !== d.context)
    throw new ModelPairError(
      'context',
      `Context mismatch: the ${names.draft} reads ${d.context} tokens, the ${names.target} ${t.context}; a proposal past the shorter window could not be verified.`,
    );
}
