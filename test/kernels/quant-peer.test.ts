import { describe, expect, it } from 'vitest';
import {
  activations,
  channelGains,
  dequantize,
  errorStats,
  gemvReference,
  layerWeights,
  quantize,
} from '../../src/kernels/quant';
import { toNBits } from '../../src/labs/decode/peer';
import { loadOrt } from '../../src/peers';
import { matmulNBitsModel, prepareOrtMatMulNBits } from '../../src/peers/ortNBits';

describe('onnxruntime-web MatMulNBits peer on Dawn', { timeout: 180_000 }, () => {
  it('encodes a one-node model with the weights as initializers', () => {
    const p = quantize('int4-zp', layerWeights(8, 64, 1), 8, 64, 32);
    const model = matmulNBitsModel(2, toNBits(p));
    const text = new TextDecoder('latin1').decode(model);
    expect(text).toContain('MatMulNBits');
    expect(text).toContain('com.microsoft');
    expect(text).toContain('zero_points');
    // The weights travel as raw bytes: the model is at least as large as B.
    expect(model.length).toBeGreaterThan((8 * 64) / 2);
  });

  for (const variant of ['int4', 'int4-zp'] as const) {
    it(`${variant}: the same quantized weights give the same output as the float64 reference of the dequantized weights`, async () => {
      const [M, N, K, G] = [3, 48, 256, 32];
      const p = quantize(variant, layerWeights(N, K, 5), N, K, G);
      const x = activations(M, K, channelGains(K), 6);
      const peer = await loadOrt();
      const op = await prepareOrtMatMulNBits(peer, x, M, toNBits(p));
      try {
        const got = await op.read();
        expect(errorStats(got, gemvReference(x, dequantize(p), M, N, K)).relMax).toBeLessThan(1e-3);
      } finally {
        op.dispose();
      }
    });
  }
});
