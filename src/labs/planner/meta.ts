import { GPUS, PRICE_NOTE } from '../../catalog/gpus';
import { MODELS, modelAliases } from '../../catalog/models';
import { defineLab } from '../../labkit/contract';

/** The one-screen planner: model + GPU + workload → GPUs, layout, memory split and cost, each linked to its lab. */
const PLAN_GPUS = GPUS.filter((g) => g.bf16Tflops !== null && g.gpusPerNode > 1);

export const meta = defineLab({
  id: 'planner',
  title: 'Planner: how many GPUs, laid out how, at what cost',
  order: 95,
  summary:
    'Pick a model (or paste its config.json), a GPU and a workload, serving users at a context and a latency target or training on a token budget in a number of days, and get the GPUs, the parallelism, the memory split and the cost per hour, each figure linked to the lab that shows it.',
  gpu: 'none',
  autoRun: 'change',
  // Titled groups of the controls (labkit/groups.ts): the key group first, then the rest.
  groups: {
    main: { title: 'Workload, model and GPU', key: true },
    serve: { title: 'Serving' },
    train: { title: 'Training' },
    cost: { title: 'Price' },
    // The config box in the picture sets this one (compressed config.json, src/catalog/share.ts).
    own: { title: 'Your config.json', placement: 'panel' },
  },
  schema: [
    { key: 'mode', group: 'main', kind: 'enum', label: 'Workload', default: 'serve', values: ['serve', 'train'], labels: { serve: 'Serve users', train: 'Train on tokens' }, help: 'Serving sizes replicas by KV memory and latency; training sizes the job by FLOPs and memory.' },
    {
      key: 'model',
      group: 'main',
      kind: 'enum',
      label: 'Model',
      default: 'llama3.1-70b',
      values: [...MODELS.map((m) => m.id), 'own'],
      labels: { ...Object.fromEntries(MODELS.map((m) => [m.id, m.name])), own: 'Your config.json (in the picture)' },
      aliases: modelAliases(),
      help: 'A catalog model (src/catalog) or your config.json.',
    },
    { key: 'gpu', group: 'main', kind: 'enum', label: 'GPU', default: 'h100-sxm', values: PLAN_GPUS.map((g) => g.id), labels: Object.fromEntries(PLAN_GPUS.map((g) => [g.id, g.name])), help: 'Datasheet memory, bandwidth, BF16 peak and links from the catalog.' },
    { key: 'users', group: 'serve', kind: 'int', label: 'Concurrent users', default: 200, min: 1, max: 1_000_000, scale: 'log2', help: 'Serving: sequences decoding at the same time.' },
    { key: 'context', group: 'serve', kind: 'int', label: 'Context per user', unit: 'tokens', default: 32768, min: 128, max: 1_048_576, scale: 'log2', help: 'Serving: tokens of KV cache each user holds.' },
    { key: 'tpotMs', group: 'serve', kind: 'number', label: 'Time per output token target', unit: 'ms', default: 50, min: 1, max: 2000, help: 'Serving: the decode step must stay under this (a 20 tokens/s reader needs 50 ms).' },
    { key: 'trainTokensB', group: 'train', kind: 'number', label: 'Training tokens', unit: 'billion', default: 1000, min: 0.001, max: 100_000, help: 'Training: tokens seen in the whole run.' },
    { key: 'days', group: 'train', kind: 'number', label: 'Days', default: 30, min: 0.1, max: 3650, help: 'Training: wall-clock budget.' },
    { key: 'mfu', group: 'train', kind: 'number', label: 'Model FLOPs utilisation', default: 0.4, min: 0.05, max: 1, step: 0.01, help: 'Training: share of the dense BF16 peak reached (large jobs report 35–45 %).' },
    { key: 'price', group: 'cost', kind: 'number', label: 'Price', unit: '$/GPU-hour', default: 0, min: 0, max: 100, step: 0.01, help: `0 uses the catalog’s price for the GPU. ${PRICE_NOTE}` },
    // The user's config.json, compressed (src/catalog/share.ts); the view's config box sets it and re-runs.
    { key: 'config', group: 'own', kind: 'text', label: 'Your config.json (compressed)', default: '', maxLength: 2000, pattern: '[A-Za-z0-9_-]*', placement: 'view', help: 'Used when the model is "Your config.json".' },
  ],
});
