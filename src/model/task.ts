import { Rng } from './rng';
import { encode, PAD } from './tokenizer';

/**
 * The synthetic task, generated here from a seed with nothing downloaded: d-digit addition written
 * as text, operands zero-padded and the sum's d+1 digits written least significant first
 * ("31+85=611" is 31 + 85 = 116). Reversed, each answer digit depends only on the operand digits
 * at its place and the carry from the digit just written, which a tiny model learns in minutes;
 * written most significant first it would need the whole carry chain before its first digit.
 */
export interface AdditionTask {
  /** Digits per operand (1–4). */
  digits: number;
  /** Seed of the train/held-out split: which operand pairs are never trained on. */
  splitSeed: number;
}

/** Tokens of one example: d + '+' + d + '=' + (d + 1). */
export function exampleLength(task: AdditionTask): number {
  return 3 * task.digits + 3;
}

/** Answer tokens per example. */
export function answerLength(task: AdditionTask): number {
  return task.digits + 1;
}

export class TaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskError';
  }
}

export function validateTask(task: AdditionTask, context: number): void {
  if (!Number.isInteger(task.digits) || task.digits < 1 || task.digits > 4)
    throw new TaskError(`digits must be 1–4, got ${task.digits}.`);
  if (exampleLength(task) > context)
    throw new TaskError(
      `A ${task.digits}-digit example is ${exampleLength(task)} tokens, longer than the context of ${context}.`,
    );
}

export function exampleText(task: AdditionTask, a: number, b: number): string {
  const d = task.digits;
  const sum = String(a + b).padStart(d + 1, '0');
  return `${String(a).padStart(d, '0')}+${String(b).padStart(d, '0')}=${[...sum].reverse().join('')}`;
}

/** The sum back from an answer written least significant digit first. */
export function readAnswer(answer: string): number {
  return Number([...answer].reverse().join(''));
}

/**
 * Held-out pairs: about 1 in 10 of all (a, b), chosen by an integer hash of the pair and the split
 * seed, so membership is a pure function (no table) and a pair is held out in every run alike.
 */
export function isHeldOut(task: AdditionTask, a: number, b: number): boolean {
  let h = Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77) ^ Math.imul(task.splitSeed + 1, 0xc2b2ae3d);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) % 10 === 0;
}

/**
 * One batch: B rows of T tokens. Each row packs ⌊T / E⌋ examples back to back and pads the rest.
 * `targets[i]` is the token at i + 1 where that token is an answer digit, and −1 (ignored by the
 * loss) everywhere else: the operands are random, so predicting them would only add an
 * irreducible ln 10 to the loss and hide whether the model learned to add.
 */
export interface Batch {
  rows: number;
  context: number;
  inputs: Int32Array;
  targets: Int32Array;
  /** Flat index of each example's first answer target (its d+1 targets follow). */
  answerStarts: Int32Array;
  /** The operands of each example, in order. */
  pairs: [number, number][];
}

export function examplesPerRow(task: AdditionTask, context: number): number {
  return Math.floor(context / exampleLength(task));
}

/** Lays out examples into rows (used by the training sampler and the held-out set alike). */
export function packBatch(task: AdditionTask, context: number, pairs: [number, number][]): Batch {
  const k = examplesPerRow(task, context);
  const rows = Math.ceil(pairs.length / k);
  const E = exampleLength(task);
  const inputs = new Int32Array(rows * context).fill(PAD);
  const targets = new Int32Array(rows * context).fill(-1);
  const answerStarts = new Int32Array(pairs.length);
  pairs.forEach(([a, b], e) => {
    const row = Math.floor(e / k);
    const start = row * context + (e % k) * E;
    const tokens = encode(exampleText(task, a, b));
    inputs.set(tokens, start);
    // The answer's first digit follows '=' at position 2d+1, so it is predicted from there.
    const first = start + 2 * task.digits + 1;
    answerStarts[e] = first;
    for (let j = 0; j < answerLength(task); j++) targets[first + j] = tokens[2 * task.digits + 2 + j];
  });
  return { rows, context, inputs, targets, answerStarts, pairs };
}

/**
 * The training stream: operand pairs drawn uniformly from the training split. Its whole state is
 * the generator's one integer and the count of examples drawn, which a checkpoint stores.
 */
export class TrainSampler {
  private rng: Rng;
  /** Examples drawn so far (the data position). */
  position: number;

  constructor(
    readonly task: AdditionTask,
    state: { rng: number; position: number },
  ) {
    this.rng = Rng.fromState(state.rng);
    this.position = state.position;
  }

  static fresh(task: AdditionTask, seed: number): TrainSampler {
    return new TrainSampler(task, { rng: seed >>> 0, position: 0 });
  }

  get state(): { rng: number; position: number } {
    return { rng: this.rng.state, position: this.position };
  }

  nextPair(): [number, number] {
    const n = 10 ** this.task.digits;
    for (;;) {
      const a = this.rng.int(n);
      const b = this.rng.int(n);
      if (!isHeldOut(this.task, a, b)) {
        this.position++;
        return [a, b];
      }
    }
  }

  /** The next B full rows. */
  nextBatch(batch: number, context: number): Batch {
    const count = batch * examplesPerRow(this.task, context);
    const pairs: [number, number][] = [];
    for (let i = 0; i < count; i++) pairs.push(this.nextPair());
    return packBatch(this.task, context, pairs);
  }
}

/**
 * The first `count` held-out pairs in a fixed order (a scan of all pairs from a seeded start), so
 * every evaluation, on every run, scores the same examples.
 */
export function heldOutPairs(task: AdditionTask, count: number): [number, number][] {
  const n = 10 ** task.digits;
  const out: [number, number][] = [];
  // Stride through the n² pairs by a step coprime to n² so the sample spans all of them.
  const total = n * n;
  const stride = 7919; // prime, and no power of ten shares a factor with it
  for (let i = 0, k = 0; i < total && out.length < count; i++, k = (k + stride) % total) {
    const a = Math.floor(k / n);
    const b = k % n;
    if (isHeldOut(task, a, b)) out.push([a, b]);
  }
  return out;
}

/** The training stream's seed for a run seed (differs from the weights' so the two draws are unrelated). */
export function streamSeedOf(seed: number): number {
  return (seed ^ 0x5bd1e995) >>> 0;
}
