import type { ParamNotice } from '../../labkit/schema';
import { defineLab } from '../../labkit/contract';
import { flashInvocations, flashWorkgroupBytes } from '../../kernels/attention/memory';
import { FLASH_KEY_STEP } from '../../kernels/attention/shape';
import { HEAD_DIM, ROWS_PER_INVOCATION } from './params';

export const meta = defineLab({
  id: 'attention',
  title: 'Attention: standard vs FlashAttention',
  order: 40,
  summary:
    'The same softmax(QKᵀ)V two ways: through an N×N matrix in global memory, or tiled in workgroup memory with an online softmax. Count the bytes.',
  gpu: 'required',
  // Titled groups of the controls (labkit/groups.ts): the key group first, then the rest.
  groups: {
    main: { title: 'Problem', key: true },
    tile: { title: 'Flash tile' },
  },
  schema: [
    {
      key: 'n',
      group: 'main',
      kind: 'int',
      label: 'Sequence length N',
      unit: 'tokens',
      default: 256,
      min: 16,
      max: 16384,
      scale: 'log2',
      help: 'Queries and keys per head. The standard path stores N×N scores per head.',
    },
    {
      key: 'd',
      group: 'main',
      kind: 'enum',
      label: 'Head dimension d',
      default: '64',
      values: ['32', '64', '128'],
      help: 'Width of each query, key and value vector.',
    },
    {
      key: 'heads',
      group: 'main',
      kind: 'int',
      label: 'Heads × batch',
      default: 4,
      min: 1,
      max: 64,
      help: 'Independent attention problems run side by side (batch × heads).',
    },
    {
      key: 'br',
      group: 'tile',
      kind: 'int',
      label: 'Br (query rows per block)',
      default: 32,
      min: 8,
      max: 256,
      scale: 'log2',
      help: 'Query rows each workgroup owns. K and V are re-read from global memory once per block of Br rows.',
    },
    {
      key: 'rows',
      group: 'tile',
      kind: 'enum',
      label: 'Rows per invocation',
      default: '2',
      values: ['1', '2'],
      help: 'Query rows each invocation owns (register blocking): with 2, every K and V value read from workgroup memory serves two rows, for twice the registers (q and the output accumulator, d floats each per row).',
    },
    {
      key: 'bc',
      group: 'tile',
      kind: 'int',
      label: 'Bc (keys per block)',
      default: 32,
      min: 16,
      max: 128,
      scale: 'log2',
      help: `Keys and values staged in workgroup memory at a time (a multiple of ${FLASH_KEY_STEP}: the kernel scores ${FLASH_KEY_STEP} keys at a time).`,
    },
    {
      key: 'causal',
      group: 'main',
      kind: 'bool',
      label: 'Causal mask',
      default: true,
      help: 'Each query sees only keys at or before it, as in a decoder. Tiled attention skips blocks above the diagonal.',
    },
    {
      key: 'sweep',
      group: 'main',
      kind: 'bool',
      label: 'N sweep',
      default: true,
      help: 'Also time both paths at smaller N for the bytes-and-time chart.',
    },
  ],
  clampToDevice(values, info) {
    const notices: ParamNotice[] = [];
    const d = HEAD_DIM[values.d];
    const rows = ROWS_PER_INVOCATION[values.rows];
    let { br, bc } = values;
    const maxInv = Math.min(info.limits.maxComputeInvocationsPerWorkgroup, info.limits.maxComputeWorkgroupSizeX);
    if (flashInvocations({ br, bc, rows }) > maxInv) {
      const was = br;
      br = maxInv * rows;
      notices.push({
        key: 'br',
        message: `Br = ${was} at ${rows} row(s) per invocation needs ${was / rows} invocations per workgroup; this device allows ${maxInv}. Using Br = ${br}.`,
      });
    }
    const have = info.limits.maxComputeWorkgroupStorageSize;
    if (flashWorkgroupBytes(d, { bc }) > have) {
      const was = bc;
      while (bc > FLASH_KEY_STEP && flashWorkgroupBytes(d, { bc }) > have) bc /= 2;
      notices.push({
        key: 'bc',
        message: `Tile too big: Bc = ${was}, d = ${d} needs ${flashWorkgroupBytes(d, { bc: was })} bytes of workgroup memory (the K and V blocks); this device has ${have}. Using Bc = ${bc}.`,
      });
    }
    return { values: { ...values, br, bc }, notices };
  },
});
