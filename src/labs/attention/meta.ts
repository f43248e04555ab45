import type { ParamNotice } from '../schema';
import { defineLab } from '../contract';
import { HEAD_DIM } from './params';

const F32 = 4;

export const meta = defineLab({
  id: 'attention',
  title: 'Attention: standard vs FlashAttention',
  order: 40,
  summary: 'The same softmax(QKᵀ)V two ways: through an N×N matrix in global memory, or tiled in workgroup memory with an online softmax. Count the bytes.',
  gpu: 'required',
  schema: [
    {
      key: 'n',
      kind: 'int',
      label: 'Sequence length N',
      unit: 'tokens',
      default: 256,
      min: 16,
      max: 16384,
      scale: 'log2',
      help: 'Queries and keys per head. The standard path stores N×N scores per head.',
    },
    { key: 'd', kind: 'enum', label: 'Head dimension d', default: '64', values: ['32', '64', '128'], help: 'Width of each query, key and value vector.' },
    {
      key: 'heads',
      kind: 'int',
      label: 'Heads × batch',
      default: 4,
      min: 1,
      max: 64,
      help: 'Independent attention problems run side by side (batch × heads).',
    },
    {
      key: 'br',
      kind: 'int',
      label: 'Br (query rows per block)',
      default: 32,
      min: 8,
      max: 256,
      scale: 'log2',
      help: 'Query rows each workgroup owns; one invocation per row. K and V are re-read once per block.',
    },
    {
      key: 'bc',
      kind: 'int',
      label: 'Bc (keys per block)',
      default: 32,
      min: 8,
      max: 128,
      scale: 'log2',
      help: 'Keys and values staged in workgroup memory at a time.',
    },
    {
      key: 'causal',
      kind: 'bool',
      label: 'Causal mask',
      default: true,
      help: 'Each query sees only keys at or before it, as in a decoder. Tiled attention skips blocks above the diagonal.',
    },
    { key: 'sweep', kind: 'bool', label: 'N sweep', default: true, help: 'Also time both paths at smaller N for the bytes-and-time chart.' },
  ],
  clampToDevice(values, info) {
    const notices: ParamNotice[] = [];
    const d = HEAD_DIM[values.d];
    let { br, bc } = values;
    const maxInv = Math.min(info.limits.maxComputeInvocationsPerWorkgroup, info.limits.maxComputeWorkgroupSizeX);
    if (br > maxInv) {
      notices.push({
        key: 'br',
        message: `Br = ${br} needs ${br} invocations per workgroup (one per query row); this device allows ${maxInv}. Using Br = ${maxInv}.`,
      });
      br = maxInv;
    }
    const need = (b: number, c: number) => (2 * c * d + b * c) * F32;
    const have = info.limits.maxComputeWorkgroupStorageSize;
    if (need(br, bc) > have) {
      const was = bc;
      while (bc > 8 && need(br, bc) > have) bc /= 2;
      while (br > 8 && need(br, bc) > have) br /= 2;
      notices.push({
        key: 'bc',
        message: `Tile too big: Br = ${values.br}, Bc = ${was}, d = ${d} needs ${need(values.br, was)} bytes of workgroup memory (K, V blocks and the score tile); this device has ${have}. Using Br = ${br}, Bc = ${bc}.`,
      });
    }
    return { values: { ...values, br, bc }, notices };
  },
});
