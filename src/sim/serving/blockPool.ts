import { InvariantError } from '../kvcache/pagedKv';

/** Hash of the empty prefix: the parent of every sequence's first block. */
export const ROOT_HASH = 0x1f2e3d;
const TWO21 = 2 ** 21;

/**
 * vLLM's prefix-cache key of a full block: a hash of (parent block's hash, this block's tokens),
 * so equal keys mean equal whole prefixes, not just equal blocks. Two independent 32-bit lanes are
 * folded into 53 bits (a safe integer Map key); with a million distinct blocks the chance of any
 * collision is about 1e-4 (vLLM offers SHA-256 where that matters).
 */
export function blockHash(parent: number, tokens: ArrayLike<number>, from: number, count: number): number {
  const ph = Math.floor(parent / TWO21);
  const pl = parent % TWO21;
  let a = Math.imul(ph ^ 0x811c9dc5, 0x01000193) ^ pl;
  let b = Math.imul(pl ^ 0x9747b28c, 0x5bd1e995) ^ ph;
  for (let i = from; i < from + count; i++) {
    const t = tokens[i] | 0;
    a = Math.imul(a ^ t, 0x01000193);
    a ^= a >>> 13;
    b = Math.imul(b ^ t, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  return (a >>> 0) * TWO21 + ((b >>> 0) >>> 11);
}

/**
 * Prefix hash → block, open addressing with linear probing over typed arrays. A Map keyed by
 * 53-bit numbers boxes every key (they are not small integers), and the garbage collector then
 * dominated long runs with caching on. At most one entry per block, so a table of at least twice
 * the pool never fills; deletion shifts the probe chain back (no tombstones).
 */
export class HashIndex {
  private readonly keys: Float64Array;
  private readonly vals: Int32Array;
  private readonly mask: number;
  size = 0;

  constructor(capacity: number) {
    let n = 16;
    while (n < 2 * capacity) n *= 2;
    this.keys = new Float64Array(n).fill(-1);
    this.vals = new Int32Array(n);
    this.mask = n - 1;
  }

  private slot(h: number): number {
    const lo = (h % 4294967296) | 0;
    const hi = Math.floor(h / 4294967296) | 0;
    return (Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1) >>> 7) & this.mask;
  }

  get(h: number): number | undefined {
    for (let i = this.slot(h); ; i = (i + 1) & this.mask) {
      const k = this.keys[i];
      if (k === -1) return undefined;
      if (k === h) return this.vals[i];
    }
  }

  has(h: number): boolean {
    return this.get(h) !== undefined;
  }

  set(h: number, b: number): void {
    let i = this.slot(h);
    while (this.keys[i] !== -1 && this.keys[i] !== h) i = (i + 1) & this.mask;
    if (this.keys[i] === -1) this.size++;
    this.keys[i] = h;
    this.vals[i] = b;
  }

  delete(h: number): void {
    let i = this.slot(h);
    while (this.keys[i] !== h) {
      if (this.keys[i] === -1) return;
      i = (i + 1) & this.mask;
    }
    this.size--;
    // Backward-shift: move later entries of the chain up so lookups never stop at a hole early.
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      const k = this.keys[j];
      if (k === -1) break;
      const home = this.slot(k);
      const between = i <= j ? i < home && home <= j : i < home || home <= j;
      if (between) continue;
      this.keys[i] = k;
      this.vals[i] = this.vals[j];
      i = j;
    }
    this.keys[i] = -1;
  }

  *entries(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== -1) yield [this.keys[i], this.vals[i]];
  }
}

/**
 * The KV block pool of one replica, with vLLM-style automatic prefix caching:
 * - every block has a reference count (running sequences whose table holds it);
 * - a block whose count drops to 0 goes to the tail of one free queue but keeps its contents and
 *   its hash entry, so a later request with the same prefix can take it back (a cache hit);
 * - allocation pops the head of the queue (least recently freed) and evicts its hash: LRU;
 * - full blocks are registered under blockHash(parent, tokens) when they are completed.
 * With caching off nothing is registered and the pool is a plain free list.
 */
export class BlockPool {
  readonly refs: Int32Array;
  /** Registered hash of a block, or -1. */
  readonly hash: Float64Array;
  /** Parent hash and tokens each registered block was hashed from (for the chain check). */
  readonly parentHash: Float64Array;
  readonly tokens: Int32Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  readonly inFree: Uint8Array;
  private head = -1;
  private tail = -1;
  private freeN = 0;
  readonly byHash: HashIndex;
  hits = 0;
  evictions = 0;
  /**
   * Bumped whenever a lookup could answer differently or a cached block changes between idle and
   * in use: a waiting request's cache hits, computed once, stay valid while it is unchanged.
   */
  version = 0;

  /**
   * `keepTokens`: store each registered block's tokens so check() can recompute its hash chain.
   * Tests keep them; a long simulation that nobody audits skips the copy.
   */
  constructor(
    readonly numBlocks: number,
    readonly blockSize: number,
    readonly caching: boolean,
    readonly keepTokens = true,
  ) {
    this.refs = new Int32Array(numBlocks);
    this.hash = new Float64Array(numBlocks).fill(-1);
    this.parentHash = new Float64Array(numBlocks).fill(-1);
    this.tokens = new Int32Array(caching && keepTokens ? numBlocks * blockSize : 0);
    this.byHash = new HashIndex(numBlocks);
    this.prev = new Int32Array(numBlocks);
    this.next = new Int32Array(numBlocks);
    this.inFree = new Uint8Array(numBlocks);
    for (let b = 0; b < numBlocks; b++) this.pushTail(b);
  }

  /** Blocks with no reference: empty or cached, all available to allocate. */
  free(): number {
    return this.freeN;
  }
  used(): number {
    return this.numBlocks - this.freeN;
  }
  /** Free blocks that still hold a registered prefix. */
  cachedFree(): number {
    let n = 0;
    for (let b = this.head; b >= 0; b = this.next[b]) if (this.hash[b] >= 0) n++;
    return n;
  }

  private pushTail(b: number): void {
    this.prev[b] = this.tail;
    this.next[b] = -1;
    if (this.tail >= 0) this.next[this.tail] = b;
    else this.head = b;
    this.tail = b;
    this.inFree[b] = 1;
    this.freeN++;
    this.version++;
  }

  private unlink(b: number): void {
    const p = this.prev[b];
    const n = this.next[b];
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail = p;
    this.inFree[b] = 0;
    this.freeN--;
    this.version++;
  }

  /** A fresh block with one reference: the least recently freed one, its cached prefix evicted. */
  alloc(): number {
    const b = this.head;
    if (b < 0) throw new InvariantError('allocation with no free block');
    this.unlink(b);
    if (this.hash[b] >= 0) {
      this.byHash.delete(this.hash[b]);
      this.hash[b] = -1;
      this.evictions++;
    }
    this.refs[b] = 1;
    return b;
  }

  /** The cached block holding this prefix hash, or -1. */
  lookup(h: number): number {
    const b = this.byHash.get(h);
    return b === undefined ? -1 : b;
  }

  /** Takes a reference on a cached block (a hit), pulling it off the free queue if idle. */
  acquire(b: number): void {
    if (this.refs[b] === 0) this.unlink(b);
    this.refs[b]++;
    this.hits++;
  }

  release(b: number): void {
    if (this.refs[b] <= 0) throw new InvariantError(`block ${b} released with ${this.refs[b]} references`);
    if (--this.refs[b] === 0) this.pushTail(b);
  }

  /**
   * Registers a just-completed full block under its prefix hash. If another block already holds
   * that prefix (two requests computed it at once), the first stays the cached one.
   */
  commit(b: number, parent: number, toks: ArrayLike<number>, from: number): number {
    const h = blockHash(parent, toks, from, this.blockSize);
    this.register(b, parent, h, toks, from);
    return h;
  }

  /** Whether registering block `b` under `h` would change anything (callers skip computing tokens otherwise). */
  wouldRegister(b: number, h: number): boolean {
    return this.caching && this.hash[b] < 0 && !this.byHash.has(h);
  }

  /** Registers `b` under an already computed prefix hash `h` of (parent, tokens). */
  register(b: number, parent: number, h: number, toks: ArrayLike<number>, from: number): void {
    if (!this.wouldRegister(b, h)) return;
    this.byHash.set(h, b);
    this.version++;
    this.hash[b] = h;
    this.parentHash[b] = parent;
    if (this.keepTokens) for (let i = 0; i < this.blockSize; i++) this.tokens[b * this.blockSize + i] = toks[from + i];
  }

  /**
   * Throws on any broken invariant: counts never negative; a block is on the free queue exactly
   * when nobody references it (never both free and in use); the queue is a well-formed list whose
   * length is the free count; used + free = capacity; every map entry points at a block registered
   * under that hash, and (with keepTokens) each registered hash is recomputed from its stored parent and tokens.
   */
  check(): void {
    let n = 0;
    let prev = -1;
    const seen = new Uint8Array(this.numBlocks);
    for (let b = this.head; b >= 0; b = this.next[b]) {
      if (seen[b]) throw new InvariantError(`block ${b} is on the free queue twice`);
      seen[b] = 1;
      if (this.prev[b] !== prev) throw new InvariantError(`free queue link broken at block ${b}`);
      prev = b;
      n++;
      if (n > this.numBlocks) throw new InvariantError('free queue longer than the pool');
    }
    if (prev !== this.tail) throw new InvariantError('free queue tail is wrong');
    if (n !== this.freeN) throw new InvariantError(`free queue holds ${n} blocks but the counter says ${this.freeN}`);
    for (let b = 0; b < this.numBlocks; b++) {
      if (this.refs[b] < 0) throw new InvariantError(`block ${b} has ${this.refs[b]} references`);
      if ((this.refs[b] === 0) !== (seen[b] === 1))
        throw new InvariantError(
          `block ${b} has ${this.refs[b]} references but is ${seen[b] ? '' : 'not '}on the free queue`,
        );
      if (this.inFree[b] !== seen[b]) throw new InvariantError(`block ${b} free flag disagrees with the queue`);
      if (this.hash[b] >= 0) {
        if (this.byHash.get(this.hash[b]) !== b)
          throw new InvariantError(`block ${b} is registered as ${this.hash[b]} but the map disagrees`);
        const h = this.keepTokens
          ? blockHash(this.parentHash[b], this.tokens, b * this.blockSize, this.blockSize)
          : this.hash[b];
        if (h !== this.hash[b])
          throw new InvariantError(`block ${b} hash ${this.hash[b]} != hash(parent, tokens) ${h}: chain broken`);
      }
    }
    for (const [h, b] of this.byHash.entries())
      if (this.hash[b] !== h) throw new InvariantError(`hash ${h} maps to block ${b} registered as ${this.hash[b]}`);
    if (this.used() + this.free() !== this.numBlocks || this.used() > this.numBlocks)
      throw new InvariantError('capacity exceeded');
  }
}
