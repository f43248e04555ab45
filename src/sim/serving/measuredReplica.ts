import { measuredProfile, type MeasuredModelCost } from './measured';
import { BLOCK_SIZE, GPUS, MEMORY_UTILIZATION, type Replica } from './models';

/**
 * Most KV blocks a measured model's replica gets: 65,536 blocks of 16 tokens, a million tokens. A
 * model the Serve lab serves keeps well under a KiB of K/V per token, so a GPU's memory would give
 * it tens of millions of blocks, more than any load here can fill and more than the simulator
 * should allocate; at this cap the KV cache still never binds before the step times do.
 */
export const MEASURED_MAX_BLOCKS = 65_536;

/**
 * One replica of the measured model: step times from the measurement (measuredProfile), KV memory
 * from the chosen catalog GPU's capacity as for any model (vLLM's 90 % less the weights), one GPU.
 */
export function measuredReplica(m: MeasuredModelCost, gpuId: string, blockSize = BLOCK_SIZE): Replica {
  const gpu = GPUS.find((g) => g.id === gpuId) ?? GPUS[0];
  const kvBytes = MEMORY_UTILIZATION * gpu.memBytes - m.model.weightBytes;
  const numBlocks = Math.min(MEASURED_MAX_BLOCKS, Math.floor(kvBytes / (m.model.kvBytesPerToken * blockSize)));
  return {
    model: {
      name: m.model.name,
      params: m.model.parameters,
      activeParams: m.model.parameters,
      // The head is tied to the token embedding, so the matmuls read (nearly) every weight.
      activeMatmulParams: m.model.parameters,
      attentionWidth: m.model.layers * 2 * m.model.dModel,
      layers: m.model.layers,
      hidden: m.model.dModel,
      kvHeads: m.model.heads,
      headDim: m.model.dModel / m.model.heads,
      attention: 'MHA',
      kvBytesPerToken: m.model.kvBytesPerToken,
      bytes: 4,
      // The served model is f32; the catalog's format only picks a datasheet peak, which a
      // measured profile never consults (its step times are the measurement).
      format: 'bf16',
      weightBytesPerParam: 4,
    },
    gpu,
    tp: 1,
    matmulPeak: 'bf16',
    profile: measuredProfile(m),
    kvBytes: numBlocks * blockSize * m.model.kvBytesPerToken,
    numBlocks,
    blockSize,
  };
}
