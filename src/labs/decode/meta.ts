import { defineLab } from '../../labkit/contract';
import { clampLayer } from './clamp';
import { GPUS, gpuAliases } from '../../catalog/gpus';
import { MODELS, modelAliases } from '../../catalog/models';

export const meta = defineLab({
  id: 'decode',
  title: 'Decode: quantized weights and speculative decoding',
  order: 56,
  summary:
    'Generating one token streams every weight once, so decode is memory-bound. Move fewer bytes per weight (f16, int8, int4 with real in-kernel dequantization) or verify several drafted tokens per pass (speculative decoding), measured on your GPU.',
  gpu: 'required',
  autoRun: 'open',
  // Titled groups of the controls (labkit/groups.ts): the key group first, then the rest.
  groups: {
    main: { title: 'Layer and format', key: true },
    speculative: { title: 'Speculative decoding' },
    // Drawn by the model-scale cost table (ModelDecodeTable), with its model and GPU pickers and config box.
    cost: { title: 'Model-scale cost table', placement: 'panel' },
  },
  schema: [
    {
      key: 'N',
      group: 'main',
      kind: 'int',
      label: 'Output channels N',
      default: 4096,
      min: 64,
      max: 16384,
      scale: 'log2',
      help: 'Rows of W (a projection’s output width). Llama-3-8B: 4096 for q/o, 14336 for the MLP up/gate.',
    },
    {
      key: 'K',
      group: 'main',
      kind: 'int',
      label: 'Input channels K',
      default: 4096,
      min: 256,
      max: 16384,
      step: 256,
      scale: 'log2',
      help: 'Columns of W (the hidden size). A multiple of 256 so every format and group size divides it.',
    },
    {
      key: 'M',
      group: 'main',
      kind: 'int',
      label: 'Rows M (tokens in flight)',
      default: 1,
      min: 1,
      max: 64,
      help: '1 = one decode step of one sequence (a GEMV). Batching b sequences, or verifying γ+1 drafted tokens, makes it a GEMM with more rows.',
    },
    {
      key: 'group',
      group: 'main',
      kind: 'enum',
      label: 'int4 group size',
      default: '128',
      values: ['32', '128'],
      labels: { '32': '32 (Q4_0-like)', '128': '128 (AWQ/GPTQ default)' },
      help: 'Weights along K that share one scale (and zero point). Smaller groups: less error, more bytes of scales.',
    },
    {
      key: 'awq',
      group: 'main',
      kind: 'bool',
      label: 'AWQ scales for int4',
      default: true,
      help: 'Search per-input-channel scales on a calibration batch (activation-aware) before rounding; off = plain round-to-nearest.',
    },
    {
      key: 'alpha',
      group: 'speculative',
      kind: 'number',
      label: 'Acceptance rate α',
      default: 0.8,
      min: 0,
      max: 1,
      step: 0.05,
      help: 'Probability that the target model accepts a drafted token (Leviathan et al. report 0.5–0.9 for good draft models).',
    },
    { key: 'gamma', group: 'speculative', kind: 'int', label: 'Draft length γ', default: 4, min: 1, max: 15, help: 'Tokens the draft model proposes per verification.' },
    {
      key: 'draftCost',
      group: 'speculative',
      kind: 'number',
      label: 'Draft cost ratio c',
      default: 0.05,
      min: 0,
      max: 1,
      step: 0.01,
      help: 'Time of one draft-model step over one target step (a 1B draft for a 70B target: a few percent).',
    },
    {
      key: 'batch',
      group: 'speculative',
      kind: 'int',
      label: 'Batch size b',
      default: 1,
      min: 1,
      max: 64,
      scale: 'log2',
      help: 'Sequences decoded together. Verification then has b·(γ+1) rows.',
    },
    // The model-scale cost table in the explanation (ModelDecodeTable) picks these itself.
    { key: 'costModel', group: 'cost', kind: 'enum', label: 'Cost table: model', default: 'llama3.1-70b', values: [...MODELS.map((m) => m.id), 'own'], labels: { ...Object.fromEntries(MODELS.map((m) => [m.id, m.name])), own: 'Your config.json' }, aliases: modelAliases(), placement: 'view', help: 'A catalog model, or your config.json: its weight bytes per decode step at each format.' },
    { key: 'config', group: 'cost', kind: 'text', label: 'Your config.json (compressed)', default: '', maxLength: 2000, pattern: '[A-Za-z0-9_-]*', placement: 'view', help: 'Used when the cost table’s model is "Your config.json".' },
    { key: 'costGpu', group: 'cost', kind: 'enum', label: 'Cost table: GPU', default: 'h100-sxm', values: GPUS.map((g) => g.id), labels: Object.fromEntries(GPUS.map((g) => [g.id, g.name])), aliases: gpuAliases(), placement: 'view', help: 'A catalog GPU: its bandwidth bounds tokens per second.' },
  ],
  clampToDevice(values, info) {
    const { N, K, notices } = clampLayer(values.N, values.K, info);
    return { values: { ...values, N, K }, notices };
  },
});
