import { defineLab } from '../../labkit/contract';

export const meta = defineLab({
  id: 'device',
  title: 'Device ceilings',
  order: 10,
  summary:
    'Measure your GPU’s achievable memory bandwidth and FP32 compute: the two roofs every other lab is compared against.',
  gpu: 'required',
  // Titled groups of the controls (labkit/groups.ts): the key group first, then the rest.
  groups: {
    main: { title: 'Measurement', key: true },
  },
  schema: [
    {
      key: 'copyMiB',
      group: 'main',
      kind: 'int',
      label: 'Copy buffer',
      unit: 'MiB',
      default: 64,
      min: 1,
      max: 1024,
      scale: 'log2',
      help: 'Size of each of the two buffers the copy kernel streams through. Bigger than the caches measures DRAM.',
    },
    {
      key: 'fmaThreads',
      group: 'main',
      kind: 'int',
      label: 'FMA invocations',
      unit: 'K',
      default: 256,
      min: 16,
      max: 4096,
      scale: 'log2',
      help: 'Invocations running FMA chains (thousands). Enough to fill every core of the GPU.',
    },
    {
      key: 'fmaIterations',
      group: 'main',
      kind: 'int',
      label: 'FMA chain length',
      unit: 'steps',
      default: 256,
      min: 16,
      max: 8192,
      scale: 'log2',
      help: 'Steps per chain, 16 FLOPs each. Longer chains hide the one load and store per invocation.',
    },
    {
      key: 'samples',
      group: 'main',
      kind: 'int',
      label: 'Samples',
      default: 7,
      min: 3,
      max: 31,
      help: 'Timed samples; the median is reported with the interquartile spread.',
    },
  ],
  clampToDevice(values, info) {
    const maxMiB = Math.floor(Math.min(info.limits.maxStorageBufferBindingSize, info.limits.maxBufferSize) / 2 ** 20);
    const mib = values.copyMiB;
    if (mib > maxMiB) {
      return {
        values: { ...values, copyMiB: maxMiB },
        notices: [
          {
            key: 'copyMiB',
            message: `Copy buffer: ${mib} MiB exceeds this device’s largest storage binding (${maxMiB} MiB); using ${maxMiB} MiB.`,
          },
        ],
      };
    }
    return { values, notices: [] };
  },
});
