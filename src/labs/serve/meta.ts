import { defineLab } from '../../labkit/contract';

export const meta = defineLab({
  id: 'serve',
  title: 'Serve the model you trained',
  order: 86,
  summary:
    'The Train lab’s GPT, shipped as two checkpoints (a target and a smaller draft), answers held-out sums: watch the paged KV cache fill under continuous batching, see what int8, int4 and AWQ do to its accuracy, and measure the acceptance rate a real draft reaches in speculative decoding beside the closed form.',
  gpu: 'optional',
  autoRun: 'change',
  schema: [
    { key: 'prompts', kind: 'int', label: 'Prompts', default: 8, min: 1, max: 32, help: 'Held-out sums generated as one batch of requests.' },
    { key: 'maxBatch', kind: 'int', label: 'Max batch', unit: 'requests', default: 4, min: 1, max: 16, help: 'Requests decoded together at most (continuous batching admits more as others finish).' },
    { key: 'numBlocks', kind: 'int', label: 'KV blocks', default: 12, min: 2, max: 64, help: 'Physical blocks in the pool; too few and requests wait or are preempted.' },
    { key: 'blockSize', kind: 'int', label: 'Block size', unit: 'tokens', default: 4, min: 1, max: 16, help: 'Token slots per block (vLLM uses 16).' },
    { key: 'temperature', kind: 'number', label: 'Temperature', default: 0, min: 0, max: 2, step: 0.1, help: '0 is greedy; above 0, softmax(logits / T) sampling with the seed below.' },
    { key: 'topK', kind: 'int', label: 'Top-k', default: 0, min: 0, max: 13, help: 'Sample among the k most likely tokens (0: all 13).' },
    { key: 'seed', kind: 'int', label: 'Seed', default: 1, min: 0, max: 999999, help: 'Sampling seed: the same seed writes the same text.' },
    { key: 'maxGamma', kind: 'int', label: 'Largest γ', default: 4, min: 1, max: 6, help: 'Speculative decoding is swept over γ = 1 … this (draft tokens per verification).' },
    { key: 'evalCount', kind: 'int', label: 'Held-out examples', default: 256, min: 32, max: 1024, scale: 'log2', help: 'Sums scored per weight format (never trained on, disjoint from AWQ’s calibration sums).' },
  ],
});
