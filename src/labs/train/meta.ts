import { CONFIG_LIMITS } from '../../model/config';
import { defineLab } from '../../labkit/contract';

export const meta = defineLab({
  id: 'train',
  title: 'Train a tiny GPT in your tab',
  order: 84,
  summary:
    'A GPT-style decoder learns d-digit addition from data the page generates: watch the training and held-out loss fall, exact-match accuracy rise, and a checkpoint let a killed run resume on the same curve.',
  gpu: 'optional',
  autoRun: 'change',
  schema: [
    { key: 'layers', kind: 'int', label: 'Layers L', default: 2, min: CONFIG_LIMITS.layers.min, max: CONFIG_LIMITS.layers.max, help: 'Pre-LayerNorm transformer blocks (attention + GELU MLP of width 4·D).' },
    { key: 'dModel', kind: 'int', label: 'Width d_model', default: 32, min: CONFIG_LIMITS.dModel.min, max: CONFIG_LIMITS.dModel.max, scale: 'log2', help: 'Residual stream width D; each block holds 12·D² + 13·D parameters.' },
    { key: 'heads', kind: 'int', label: 'Heads', default: 2, min: 1, max: 8, help: 'Attention heads; d_model must be a multiple of it.' },
    { key: 'context', kind: 'int', label: 'Context T', unit: 'tokens', default: 16, min: CONFIG_LIMITS.context.min, max: CONFIG_LIMITS.context.max, help: 'Tokens per row; a row packs ⌊T / example length⌋ examples.' },
    { key: 'batch', kind: 'int', label: 'Batch B', unit: 'rows', default: 16, min: CONFIG_LIMITS.batch.min, max: CONFIG_LIMITS.batch.max, help: 'Rows per optimizer step: B·T tokens.' },
    { key: 'digits', kind: 'int', label: 'Digits', default: 2, min: 1, max: 4, help: 'Operand digits of the addition task (an example is 3·d + 3 tokens).' },
    { key: 'steps', kind: 'int', label: 'Steps', default: 1500, min: 10, max: 20000, scale: 'log2', help: 'Length of the schedule: warm-up, then a cosine down to a tenth of the peak rate.' },
    { key: 'lr', kind: 'number', label: 'Peak learning rate', default: 0.003, min: 0.0001, max: 0.01, step: 0.0001, help: 'AdamW (β 0.9/0.99, weight decay 0.1 on matrices, gradient norm clipped to 1).' },
    { key: 'seed', kind: 'int', label: 'Seed', default: 1, min: 0, max: 999999, help: 'Initial weights and the training stream: same seed, same curve.' },
    { key: 'evalEvery', kind: 'int', label: 'Evaluate every', unit: 'steps', default: 50, min: 5, max: 1000, help: 'Held-out loss and exact match on 256 examples never trained on.' },
    { key: 'checkpointEvery', kind: 'int', label: 'Checkpoint every K', unit: 'steps', default: 100, min: 0, max: 5000, help: 'Weights, AdamW moments, step, data position and RNG state to IndexedDB (0: never).' },
  ],
});
