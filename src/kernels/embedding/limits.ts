import { checkBinding, checkGrid, checkWhole, type TrainLimits } from '../limits';
import type { EmbeddingDims } from './reference';

export type { EmbeddingDims };

/** Elements per workgroup of the gather and dwpe kernels; columns per workgroup of dwte's scatter-add. */
export const EMBED_WG = 256;
export const SCATTER_WG = 64;

export function checkEmbedding(d: EmbeddingDims, limits: TrainLimits): void {
  for (const k of ['batch', 'seq', 'channels', 'vocab'] as const) checkWhole('embedding', k, d[k]);
  checkBinding('embedding', `out (${d.batch * d.seq}×${d.channels})`, d.batch * d.seq * d.channels, limits);
  checkBinding('embedding', `wte (${d.vocab}×${d.channels})`, d.vocab * d.channels, limits);
  checkGrid('embedding scatter-add', d.vocab, Math.ceil(d.channels / SCATTER_WG), limits);
}
