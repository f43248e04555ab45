import type { KernelCost } from '../types';
import { STD_TILE, type AttentionShape, type FlashTile } from './shape';

const F32 = 4;

/**
 * Key blocks a query block visits: all of them, or under the causal mask only those that start at
 * or before the block's last query row (blocks wholly above the diagonal are skipped).
 */
export function keyBlocksVisited(n: number, tile: FlashTile, qb: number, causal: boolean): number {
  const all = Math.ceil(n / tile.bc);
  if (!causal) return all;
  const lastRow = Math.min(n, (qb + 1) * tile.br) - 1;
  return Math.floor(lastRow / tile.bc) + 1;
}

/** Unmasked (query, key) pairs: N² or, causal, N(N+1)/2. */
export function visiblePairs(n: number, causal: boolean): number {
  return causal ? (n * (n + 1)) / 2 : n * n;
}

/** Parts of the standard path's traffic, per pass, for the lab's breakdown. */
export interface StandardCostParts {
  scores: KernelCost;
  softmax: KernelCost;
  pv: KernelCost;
}

/**
 * The naive unfused rung (the lab's former standard path), exactly as its three kernels load and
 * store: 32-wide matmul tiles and a softmax that sweeps each score row three times (max, sum,
 * normalise) in global memory. FLOPs count the two
 * matrix products (2 per multiply-add); exp, max and division are left out for both paths. The
 * unfused path computes every score and masks afterwards, so causal does not change its cost.
 */
export function threeSweepCostParts(s: AttentionShape): StandardCostParts {
  const { bh, n, d } = s;
  const rowTiles = Math.ceil(n / STD_TILE);
  // Scores: each workgroup loads its TILE rows of Q and of K across all of d; a Q row is loaded
  // once per column tile and a K row once per row tile.
  const scores: KernelCost = {
    flops: bh * 2 * n * n * d,
    bytesRead: bh * 2 * rowTiles * n * d * F32,
    bytesWritten: bh * n * n * F32,
  };
  // Softmax: three sweeps (max, sum, normalise) over every row of S, one write of P.
  const softmax: KernelCost = { flops: 0, bytesRead: bh * 3 * n * n * F32, bytesWritten: bh * n * n * F32 };
  // P·V: P is read once per TILE output columns (d / TILE times), V once per row tile.
  const pv: KernelCost = {
    flops: bh * 2 * n * n * d,
    bytesRead: bh * ((d / STD_TILE) * n * n + rowTiles * n * d) * F32,
    bytesWritten: bh * n * d * F32,
  };
  return { scores, softmax, pv };
}

export function threeSweepCost(s: AttentionShape): KernelCost {
  const p = threeSweepCostParts(s);
  return sum([p.scores, p.softmax, p.pv]);
}

/**
 * Output tile side of the textbook path's two matmuls: 64×64 (16×16 invocations, a 4×4 register
 * block each, 8 KiB of workgroup memory), so Q, K and V are re-read half as often as with the naive
 * path's 32-wide tiles. P·V has only d output columns, so its tile is at most d wide.
 */
export const TEXTBOOK_TILE = 64;

export function textbookTiles(d: number): { scores: number; pv: number } {
  return { scores: TEXTBOOK_TILE, pv: Math.min(TEXTBOOK_TILE, d) };
}

/** The one-read softmax's workgroup: a power of two of at most 256 invocations, ⌈N/WG⌉ scores each held in registers. */
export function oneReadSoftmaxShape(n: number): { wg: number; per: number } {
  let wg = 32;
  while (wg < 256 && wg * 4 < n) wg *= 2;
  return { wg, per: Math.max(1, Math.ceil(n / wg)) };
}

/**
 * Textbook unfused attention (Dao et al. 2022, Algorithm 0) exactly as our three kernels load and
 * store: S = scale·Q·Kᵀ through a tiled matmul (Q re-read once per column tile of S, K once per row
 * tile), a softmax that reads each score once and writes P once, and P·V through a tiled matmul
 * (P read once per d/tile column tiles, V once per row tile). Bytes are requested from global
 * memory, the same quantity the tiled path's counters count.
 */
export function textbookCostParts(s: AttentionShape): StandardCostParts {
  const { bh, n, d } = s;
  const t = textbookTiles(d);
  const scoreTiles = Math.ceil(n / t.scores);
  const pvRowTiles = Math.ceil(n / t.pv);
  const scores: KernelCost = {
    flops: bh * 2 * n * n * d,
    bytesRead: bh * 2 * scoreTiles * n * d * F32,
    bytesWritten: bh * n * n * F32,
  };
  const softmax: KernelCost = { flops: 0, bytesRead: bh * n * n * F32, bytesWritten: bh * n * n * F32 };
  const pv: KernelCost = {
    flops: bh * 2 * n * n * d,
    bytesRead: bh * ((d / t.pv) * n * n + pvRowTiles * n * d) * F32,
    bytesWritten: bh * n * d * F32,
  };
  return { scores, softmax, pv };
}

export function textbookCost(s: AttentionShape): KernelCost {
  const p = textbookCostParts(s);
  return sum([p.scores, p.softmax, p.pv]);
}

/** The lab's standard path is the textbook algorithm: the honest baseline (issue 18). */
export const standardCostParts = textbookCostParts;
export const standardCost = textbookCost;

/**
 * Algorithm 0 as the paper counts HBM accesses: every matrix crosses memory once (read Q and K,
 * write S, read S, write P, read P and V, write O): 4·N² + 4·N·d floats per head. This is the
 * limit a real tiled matmul approaches as its tiles grow (its Q, K, V re-reads are 3·N²·d/tile
 * floats on top), and what caches make of those re-reads when they hit.
 */
export function algorithm0Cost(s: AttentionShape): KernelCost {
  const { bh, n, d } = s;
  return {
    flops: bh * 4 * n * n * d,
    bytesRead: bh * (2 * n * d + 2 * n * n + n * d) * F32,
    bytesWritten: bh * (2 * n * n + n * d) * F32,
  };
}

/**
 * The large-N approximation of tiled / Algorithm-0 traffic: the tiled path re-reads K and V once
 * per query block (2·N²·d/Br floats), the unfused path moves S and P through memory (4·N² floats),
 * so the ratio tends to d / (2·Br): the tiled path wins once Br > d/2.
 */
export function tiledOverTextbookLimit(d: number, br: number): number {
  return d / (2 * br);
}

/**
 * Tiled (FlashAttention-2 style): Q read once, O and the log-sum-exp written once, and K and V
 * re-read once per query block, for the key blocks that block visits (a ragged last block loads
 * only its rows that exist). `qkvBytes`: bytes of one stored Q, K or V element (2 for the f16-storage
 * build); O and the log-sum-exp stay f32.
 */
export function flashCost(s: AttentionShape, tile: FlashTile, qkvBytes = F32): KernelCost {
  const { bh, n, d } = s;
  let kvRows = 0;
  const queryBlocks = Math.ceil(n / tile.br);
  for (let qb = 0; qb < queryBlocks; qb++) kvRows += Math.min(n, keyBlocksVisited(n, tile, qb, s.causal) * tile.bc);
  return {
    flops: bh * 4 * d * visiblePairs(n, s.causal),
    bytesRead: bh * (n * d + 2 * kvRows * d) * qkvBytes,
    bytesWritten: bh * (n * d + n) * F32,
  };
}

/** Per-tile status of the score matrix for the schedule picture: computed, or skipped by the mask. */
export function tileVisited(tile: FlashTile, qb: number, kb: number, n: number, causal: boolean): boolean {
  return kb < keyBlocksVisited(n, tile, qb, causal);
}

function sum(parts: KernelCost[]): KernelCost {
  return parts.reduce(
    (a, b) => ({
      flops: a.flops + b.flops,
      bytesRead: a.bytesRead + b.bytesRead,
      bytesWritten: a.bytesWritten + b.bytesWritten,
    }),
    {
      flops: 0,
      bytesRead: 0,
      bytesWritten: 0,
    },
  );
}
