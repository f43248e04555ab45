/**
 * Token + position embedding for training (issue 29): the gather and its deterministic
 * scatter-add backward (no float atomics: one invocation owns each dwte element and sums in
 * position order, so resumed runs are bit-identical).
 *
 * On your own GPU buffers (tokens [B·T] u32; wte, dwte [vocab, C]; wpe [T_max, C]; dwpe [T, C]
 * (rows < T); out, dout [B·T, C]; float32 row-major):
 *   const fwd = await createEmbeddingForward(rt, { batch, seq, channels, vocab });
 *   fwd.encode(pass, { tokens, wte, wpe, out });
 *   const bwd = await createEmbeddingBackward(rt, dims, { accumulate: true });  // tied head's dwte first
 *   bwd.encode(pass, { tokens, dout, dwte, dwpe });
 */
export { embeddingBackwardCost, embeddingForwardCost } from './cost';
export {
  createEmbeddingBackward,
  createEmbeddingForward,
  type EmbeddingBackwardSlots,
  type EmbeddingForwardSlots,
} from './host';
export { checkEmbedding, EMBED_WG, SCATTER_WG, type EmbeddingDims } from './limits';
export { EMBEDDING_TOLERANCE, embeddingBackward, embeddingForward, type EmbeddingBackward } from './reference';
export { embeddingSource } from './source';
