/**
 * Bytes each rank sends in the collectives data-parallel training uses, for the bandwidth-optimal
 * ring algorithms (Patarasuk & Yuan 2009; the ZeRO paper §7 counts volumes the same way):
 *   reduce-scatter or all-gather of B bytes over N ranks: each rank sends (N−1)/N · B;
 *   all-reduce = reduce-scatter + all-gather:            each rank sends 2(N−1)/N · B.
 */
export function ringAllReduceBytes(bytes: number, ranks: number): number {
  return ranks <= 1 ? 0 : (2 * (ranks - 1) * bytes) / ranks;
}

export function ringReduceScatterBytes(bytes: number, ranks: number): number {
  return ranks <= 1 ? 0 : ((ranks - 1) * bytes) / ranks;
}

export const ringAllGatherBytes = ringReduceScatterBytes;

/** Ring steps of an all-reduce: N−1 for the reduce-scatter plus N−1 for the all-gather. */
export function ringAllReduceSteps(ranks: number): number {
  return ranks <= 1 ? 0 : 2 * (ranks - 1);
}
