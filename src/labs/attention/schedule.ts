import { keyBlocksVisited, standardCost, type AttentionShape, type FlashTile } from '../../kernels/attention';

/**
 * The tiled kernel's schedule as the picture steps through it: query block by query block, and
 * within each the key blocks it visits. On the GPU all query blocks run at once (one workgroup
 * each); the picture follows them one after another so that each step is one tile.
 */
export interface Schedule {
  qBlocks: number;
  kBlocks: number;
  /** Key blocks visited by each query block (fewer under the causal mask). */
  visited: number[];
  /** First step of each query block; last entry = total steps. */
  start: number[];
  total: number;
  /** Tiled bytes (all heads) once each query block has finished; last entry = the kernel's total. */
  doneBytes: number[];
}

const F32 = 4;

function rowsIn(block: number, size: number, n: number): number {
  return Math.max(0, Math.min(n, (block + 1) * size) - block * size);
}

export function buildSchedule(s: AttentionShape, tile: FlashTile): Schedule {
  const qBlocks = Math.ceil(s.n / tile.br);
  const kBlocks = Math.ceil(s.n / tile.bc);
  const visited: number[] = [];
  const start: number[] = [0];
  const doneBytes: number[] = [0];
  for (let qb = 0; qb < qBlocks; qb++) {
    const v = keyBlocksVisited(s.n, tile, qb, s.causal);
    visited.push(v);
    start.push(start[qb] + v);
    const rows = rowsIn(qb, tile.br, s.n);
    const kvRows = Math.min(s.n, v * tile.bc);
    doneBytes.push(doneBytes[qb] + s.bh * F32 * (rows * s.d + 2 * kvRows * s.d + rows * (s.d + 1)));
  }
  return { qBlocks, kBlocks, visited, start, total: start[qBlocks], doneBytes };
}

/** Query block and key block of step t (0-based). */
export function stepAt(sch: Schedule, t: number): { qb: number; kb: number } {
  const step = Math.max(0, Math.min(sch.total - 1, t));
  let lo = 0;
  let hi = sch.qBlocks - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sch.start[mid] <= step) lo = mid;
    else hi = mid - 1;
  }
  return { qb: lo, kb: step - sch.start[lo] };
}

/**
 * Global bytes the tiled kernel has moved once step t is done (all heads): finished query blocks,
 * plus this block's Q rows, the K/V blocks loaded so far, and O with the log-sum-exp after its last block.
 */
export function tiledBytesAt(sch: Schedule, s: AttentionShape, tile: FlashTile, t: number): number {
  const { qb, kb } = stepAt(sch, t);
  const rows = rowsIn(qb, tile.br, s.n);
  const kvRows = Math.min(s.n, (kb + 1) * tile.bc);
  const last = kb === sch.visited[qb] - 1;
  return sch.doneBytes[qb] + s.bh * F32 * (rows * s.d + 2 * kvRows * s.d + (last ? rows * (s.d + 1) : 0));
}

/**
 * The standard path's bytes for the same share of the score matrix: it computes every tile (the
 * mask is applied after), so its traffic grows with the tile's position in the full N×N grid.
 */
export function standardBytesAt(sch: Schedule, s: AttentionShape, t: number): number {
  const { qb, kb } = stepAt(sch, t);
  const c = standardCost(s);
  const lastStep = t >= sch.total - 1;
  const tilesDone = lastStep ? sch.qBlocks * sch.kBlocks : qb * sch.kBlocks + kb + 1;
  return ((c.bytesRead + c.bytesWritten) * tilesDone) / (sch.qBlocks * sch.kBlocks);
}
