/**
 * Data-parallel sharding by row group (Month 2): with R ranks, rank r reads row groups
 * r, r+R, r+2R, … (what PyTorch's DistributedSampler does with indices, applied to whole row
 * groups so each rank reads only its own byte ranges of the file).
 */
export interface ShardPlan {
  ranks: number;
  groups: number;
  /** Row groups each rank reads. */
  byRank: number[][];
  rowsByRank: number[];
  /** Lock-step steps per epoch when every rank must take a batch each step: set by the smallest shard. */
  stepsEven: number;
  /** Rows never trained on per epoch if the longer shards are cut to the shortest (drop_last). */
  rowsDropped: number;
  /** Rows re-read per epoch if shorter shards repeat groups to match the longest (DistributedSampler's padding). */
  rowsPadded: number;
  /** True when R divides the row groups (and all groups hold the same rows): no rank waits, nothing dropped. */
  even: boolean;
}

/** Plans the shards; `groupRows[g]` is the rows in row group g, `batch` the per-rank batch size. */
export function planShards(groupRows: number[], ranks: number, batch: number): ShardPlan {
  if (!(Number.isInteger(ranks) && ranks >= 1)) throw new Error(`Ranks must be a whole number ≥ 1, not ${ranks}.`);
  if (!(Number.isInteger(batch) && batch >= 1)) throw new Error(`Batch must be a whole number ≥ 1, not ${batch}.`);
  const byRank: number[][] = Array.from({ length: ranks }, () => []);
  groupRows.forEach((_, g) => byRank[g % ranks].push(g));
  const rowsByRank = byRank.map((gs) => gs.reduce((a, g) => a + groupRows[g], 0));
  const min = Math.min(...rowsByRank);
  const max = Math.max(...rowsByRank);
  const stepsEven = Math.floor(min / batch);
  return {
    ranks,
    groups: groupRows.length,
    byRank,
    rowsByRank,
    stepsEven,
    rowsDropped: rowsByRank.reduce((a, r) => a + (r - stepsEven * batch), 0),
    rowsPadded: rowsByRank.reduce((a, r) => a + (max - r), 0),
    even: min === max,
  };
}

/** Rows of each row group of a table of `rows` rows cut into groups of `groupRows` (the last may be short). */
export function groupSizes(rows: number, groupRows: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r += groupRows) out.push(Math.min(groupRows, rows - r));
  return out;
}
