import { checkBinding, checkWhole, type TrainLimits } from '../limits';
import type { HeadLayout } from './reference';

export type { HeadLayout };

export const HEADS_WG = 256;

export function checkHeads(l: HeadLayout, limits: TrainLimits): void {
  for (const k of ['batch', 'seq', 'heads', 'headDim', 'stride'] as const) checkWhole('heads', k, l[k]);
  checkWhole('heads', 'offset', l.offset, 0);
  if (l.offset + l.heads * l.headDim > l.stride)
    throw new RangeError(
      `heads: columns ${l.offset}..${l.offset + l.heads * l.headDim} do not fit a row of ${l.stride}.`,
    );
  checkBinding('heads', `rows (${l.batch * l.seq}×${l.stride})`, l.batch * l.seq * l.stride, limits);
}
