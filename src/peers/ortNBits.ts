/**
 * onnxruntime-web's MatMulNBits (com.microsoft contrib op: Y = A·dequant(B)ᵀ with 4-bit B in
 * blocks along K) on its WebGPU execution provider, as the peer of the decode lab's int4 kernels.
 * The one-node model is encoded by hand (onnx.ts) with the quantized weights as initializers, as
 * in a real quantized model; A stays on the GPU and Y is left there.
 *
 * Layout (onnxruntime docs/ContribOperators.md, MatMulNBits): B is uint8 [N, K/block, block/2],
 * two 4-bit values per byte, low nibble first; scales float [N·K/block]; zero_points uint8, two
 * 4-bit values per byte, [N·⌈(K/block)/2⌉], absent = 8. That is exactly our int4 layout (weights
 * and nibble order), so the same quantized weights go to both and the outputs must agree.
 */
import { encodeModel, OnnxType } from './onnx';
import { prepareOrtModel, type OrtPeer } from './ort';
import { checkDims, checkLength } from './timing';
import type { PreparedPeerOp } from './types';

export interface NBitsWeights {
  N: number;
  K: number;
  blockSize: number;
  /** N·K/2 bytes: row n's K/2 bytes, low nibble = even k. */
  b: Uint8Array;
  /** N·K/blockSize float scales. */
  scales: Float32Array;
  /** Per block zero points 0..15 (N·K/blockSize of them), or null for symmetric (8). */
  zeros: Uint8Array | null;
}

function f32Bytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Y[M,N] = A[M,K] · dequant(B)ᵀ, one MatMulNBits node (bits = 4). Input 'A', output 'Y'. */
export function matmulNBitsModel(M: number, w: NBitsWeights): Uint8Array {
  const { N, K, blockSize } = w;
  const blocks = K / blockSize;
  const initializers = [
    { name: 'B', type: OnnxType.UINT8, dims: [N, blocks, blockSize / 2], raw: w.b },
    { name: 'scales', type: OnnxType.FLOAT, dims: [N * blocks], raw: f32Bytes(w.scales) },
  ];
  const inputs = ['A', 'B', 'scales'];
  if (w.zeros) {
    // Two 4-bit zero points per byte, each row padded to whole bytes.
    const perRow = Math.ceil(blocks / 2);
    const packed = new Uint8Array(N * perRow);
    for (let n = 0; n < N; n++)
      for (let b = 0; b < blocks; b++)
        packed[n * perRow + (b >> 1)] |= (w.zeros[n * blocks + b] & 0xf) << ((b & 1) * 4);
    initializers.push({ name: 'zero_points', type: OnnxType.UINT8, dims: [N * perRow], raw: packed });
    inputs.push('zero_points');
  }
  return encodeModel({
    name: 'matmul_nbits',
    nodes: [
      {
        opType: 'MatMulNBits',
        domain: 'com.microsoft',
        inputs,
        outputs: ['Y'],
        attributes: [
          { name: 'K', value: K, kind: 'int' },
          { name: 'N', value: N, kind: 'int' },
          { name: 'bits', value: 4, kind: 'int' },
          { name: 'block_size', value: blockSize, kind: 'int' },
        ],
      },
    ],
    inputs: [{ name: 'A', type: OnnxType.FLOAT, dims: [M, K] }],
    outputs: [{ name: 'Y', type: OnnxType.FLOAT, dims: [M, N] }],
    initializers,
    opsets: { '': 17, 'com.microsoft': 1 },
  });
}

export async function prepareOrtMatMulNBits(
  peer: OrtPeer,
  A: Float32Array,
  M: number,
  w: NBitsWeights,
): Promise<PreparedPeerOp> {
  checkDims('ORT MatMulNBits', { M, K: w.K, N: w.N, blockSize: w.blockSize });
  if (w.K % w.blockSize !== 0)
    throw new RangeError(`ORT MatMulNBits: K = ${w.K} is not a multiple of block_size ${w.blockSize}`);
  if (w.blockSize < 16 || (w.blockSize & (w.blockSize - 1)) !== 0)
    throw new RangeError(`ORT MatMulNBits: block_size must be a power of two ≥ 16, got ${w.blockSize}`);
  checkLength('ORT MatMulNBits', 'A', A, M * w.K);
  if (w.b.length !== (w.N * w.K) / 2)
    throw new RangeError(`ORT MatMulNBits: B has ${w.b.length} bytes, expected N·K/2 = ${(w.N * w.K) / 2}`);
  checkLength('ORT MatMulNBits', 'scales', w.scales, (w.N * w.K) / w.blockSize);
  return prepareOrtModel(
    peer,
    `ORT MatMulNBits (4-bit, block ${w.blockSize}${w.zeros ? ', zero points' : ''})`,
    matmulNBitsModel(M, w),
    [{ name: 'A', data: A, dims: [M, w.K] }],
    'Y',
  );
}
