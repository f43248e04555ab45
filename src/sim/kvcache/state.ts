import type { TraceRequest } from './types';

export type GroupState = 'waiting' | 'running' | 'swapped' | 'finished' | 'rejected';

/** One generated sequence. A request with n parallel samples owns n of them. */
export interface Seq {
  group: Group;
  index: number;
  /** Tokens whose K/V are in memory (prompt + generated, once admitted). */
  len: number;
  generated: number;
  /** Tokens this sequence generates before it stops. */
  target: number;
  done: boolean;
  /** Paged: physical block per logical block. Contiguous: [first block, block count]. */
  table: number[];
}

/** A KV image of a swapped-out group: its distinct blocks and each sequence's table into them. */
export interface SwapImage {
  blocks: { fill: number; content: Float64Array; prefix: number; owner: number; seq: number; logical: number }[];
  tables: number[][];
}

export interface Group {
  id: number;
  req: TraceRequest;
  /** Prompt tokens including the shared system prompt. */
  prompt: number;
  seqs: Seq[];
  state: GroupState;
  /** Increases with every admission; the largest running one is the preemption victim (LCFS). */
  admitOrder: number;
  admitTime: number;
  firstTokenTime: number;
  finishTime: number;
  preemptions: number;
  swap: SwapImage | null;
}

/**
 * The id of the token at `pos` of sequence `s` of group `g`. The system prompt is the same for
 * everyone, the prompt the same for a group's sequences, generated tokens differ per sequence:
 * reading a sequence back through its block table must give exactly this stream (CoW check).
 */
export function tokenId(systemPrompt: number, promptLen: number, g: number, s: number, pos: number): number {
  if (pos < systemPrompt) return -(pos + 1);
  if (pos < promptLen) return g * 10 * 8192 + pos;
  return (g * 10 + 1 + s) * 8192 + pos;
}

/** What a scheduler needs from KV memory; the paged and contiguous allocators implement it. */
export interface KvBackend {
  readonly kind: 'paged' | 'contiguous';
  readonly numBlocks: number;
  readonly blockSize: number;
  freeBlocks(): number;
  allocatedBlocks(): number;
  /** Slots holding a token's K/V (a shared block's tokens count once). */
  liveSlots(): number;
  /** Blocks a group needs to be admitted now, with headroom for its next token. */
  blocksNeeded(g: Group): number;
  canAdmit(g: Group): boolean;
  /** Allocates the group's prompt (and, after a recompute preemption, its generated tokens). */
  admit(g: Group): void;
  /** Stores the next token of `s`; false when a block is needed and none is free. */
  append(s: Seq): boolean;
  releaseSeq(s: Seq): void;
  /** Blocks a group occupies at its final length in empty memory; > numBlocks means it never fits. */
  footprint(g: Group): number;
  swapOut(g: Group): number;
  canSwapIn(g: Group): boolean;
  swapIn(g: Group): number;
  /** Per block, packed (owner, sequence, logical index, fill, shared) for the memory map; 0 = free. */
  cells(out: Float64Array): void;
  /** Throws on any broken invariant. */
  check(groups: Iterable<Group>): void;
  cowCopies: number;
}

/** Packs one block's picture into a number; free blocks are 0. Owner -2 is the shared system prompt. */
export function packCell(owner: number, seq: number, logical: number, fill: number, shared: boolean): number {
  return ((((owner + 3) * 16 + (seq + 1)) * 4096 + Math.min(logical, 4095)) * 512 + fill) * 2 + (shared ? 1 : 0);
}

export interface Cell {
  owner: number;
  seq: number;
  logical: number;
  fill: number;
  shared: boolean;
}

export function unpackCell(code: number): Cell | null {
  if (code === 0) return null;
  const shared = code % 2 === 1;
  let x = Math.floor(code / 2);
  const fill = x % 512;
  x = Math.floor(x / 512);
  const logical = x % 4096;
  x = Math.floor(x / 4096);
  const seq = (x % 16) - 1;
  const owner = Math.floor(x / 16) - 3;
  return { owner, seq, logical, fill, shared };
}
