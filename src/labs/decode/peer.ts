/**
 * The decode lab's int4 weights handed to onnxruntime-web's MatMulNBits (src/peers/ortNBits.ts):
 * the same bytes (our nibble order is MatMulNBits'), scales widened from f16 to f32 (exact), zero
 * points unpacked to one per block. Both implementations multiply by the same dequantized
 * weights, so both are checked against the same float64 reference.
 */
import { fromHalfBits, type PackedWeights } from '../../kernels/quant';
import type { NBitsWeights } from '../../peers/ortNBits';

export function toNBits(p: PackedWeights): NBitsWeights {
  if (p.variant !== 'int4' && p.variant !== 'int4-zp')
    throw new RangeError(`MatMulNBits takes 4-bit weights, not ${p.variant}.`);
  const G = p.group as number;
  const blocks = (p.N * p.K) / G;
  const s = p.scales as Uint32Array;
  const scales = new Float32Array(blocks);
  for (let i = 0; i < blocks; i++) scales[i] = fromHalfBits((s[i >> 1] >>> ((i & 1) * 16)) & 0xffff);
  let zeros: Uint8Array | null = null;
  if (p.zeros) {
    zeros = new Uint8Array(blocks);
    for (let i = 0; i < blocks; i++) zeros[i] = (p.zeros[i >> 2] >>> ((i & 3) * 8)) & 0xff;
  }
  return {
    N: p.N,
    K: p.K,
    blockSize: G,
    b: new Uint8Array(p.words.buffer, p.words.byteOffset, (p.N * p.K) / 2),
    scales,
    zeros,
  };
}
