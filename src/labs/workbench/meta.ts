import { defineLab } from '../../labkit/contract';

/** Exercise ids (data lives in ./exercises, loaded with the lab); the picker only needs the names. */
export const EXERCISE_IDS = ['bias-gelu', 'row-softmax', 'tiled-matmul', 'attention-block', 'paged-gather'] as const;

export const meta = defineLab({
  id: 'workbench',
  title: 'Kernel workbench',
  order: 70,
  summary:
    'Write a WGSL kernel, check it against a CPU reference on hidden inputs, and score the global-memory traffic it actually caused.',
  gpu: 'required',
  autoRun: 'never',
  runButton: 'view',
  // Titled groups of the controls (labkit/groups.ts): the key group first, then the rest.
  groups: {
    main: { title: 'Exercise', key: true },
  },
  schema: [
    {
      key: 'exercise',
      group: 'main',
      kind: 'enum',
      label: 'Exercise',
      default: 'bias-gelu',
      values: EXERCISE_IDS,
      labels: {
        'bias-gelu': 'Fused bias + GELU',
        'row-softmax': 'Row softmax in one read',
        'tiled-matmul': 'Tiled matmul',
        'attention-block': 'Attention block (online softmax)',
        'paged-gather': 'Paged KV gather',
      },
      help: 'Each exercise has a starter kernel that is correct but moves too many bytes.',
    },
  ],
});
