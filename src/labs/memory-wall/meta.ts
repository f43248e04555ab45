import { maxActivationElements } from '../../kernels/activation/limits';
import { defineLab } from '../../labkit/contract';

const MIN_SIZE = 1 << 16;

export const meta = defineLab({
  id: 'memory-wall',
  title: 'Memory wall: fusing an activation epilogue',
  order: 20,
  summary:
    'Bias add, GELU, residual add: three cheap elementwise kernels that mostly move bytes. Fuse them into one pass and watch the roofline point jump.',
  gpu: 'required',
  // Titled groups of the controls (labkit/groups.ts): the key group first, then the rest.
  groups: {
    main: { title: 'Kernels', key: true },
    measure: { title: 'Measurement', collapsed: true },
  },
  schema: [
    {
      key: 'size',
      group: 'main',
      kind: 'int',
      label: 'Elements N',
      unit: 'floats',
      default: 1 << 24,
      min: MIN_SIZE,
      max: 1 << 26,
      scale: 'log2',
      help: 'Activation tensor of N = rows × H float32 values. At the default 16 M the tensors (64 MiB each) together outgrow every GPU’s L2 cache, so DRAM bandwidth decides.',
    },
    {
      key: 'hidden',
      group: 'main',
      kind: 'int',
      label: 'Hidden size H',
      unit: 'floats',
      default: 4096,
      min: 4,
      max: 16384,
      scale: 'log2',
      help: 'Length of the bias vector, broadcast over the rows (e.g. 4096, the model width of 7B-class transformers).',
    },
    {
      key: 'unfused',
      group: 'main',
      kind: 'bool',
      label: 'Unfused (3 passes)',
      default: true,
      help: 'Bias, GELU and residual as separate kernels, each reading and writing global memory.',
    },
    {
      key: 'fused',
      group: 'main',
      kind: 'bool',
      label: 'Fused',
      default: true,
      help: 'One kernel: the intermediates stay in registers.',
    },
    {
      key: 'vec4',
      group: 'main',
      kind: 'bool',
      label: 'Fused + vec4',
      default: true,
      help: 'The fused kernel with 16-byte vec4<f32> loads and stores.',
    },
    {
      key: 'perPass',
      group: 'measure',
      kind: 'bool',
      label: 'Time each unfused pass',
      default: true,
      help: 'Also time bias, GELU and residual alone: three more points, each with its own intensity.',
    },
    {
      key: 'samples',
      group: 'measure',
      kind: 'int',
      label: 'Samples',
      default: 5,
      min: 3,
      max: 21,
      help: 'Timed samples per kernel; the table shows the median.',
    },
  ],
  clampToDevice(values, info) {
    const max = Math.max(MIN_SIZE, maxActivationElements(info.limits));
    const { size } = values;
    if (size > max) {
      return {
        values: { ...values, size: max },
        notices: [
          {
            key: 'size',
            message: `Elements N: ${size.toLocaleString('en-US')} floats exceed this device’s largest storage buffer (${(Math.min(info.limits.maxStorageBufferBindingSize, info.limits.maxBufferSize) / 2 ** 20).toFixed(0)} MiB); using ${max.toLocaleString('en-US')}.`,
          },
        ],
      };
    }
    return { values, notices: [] };
  },
});
