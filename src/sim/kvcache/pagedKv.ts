import { packCell, tokenId, type Group, type KvBackend, type Seq, type SwapImage } from './state';

export class InvariantError extends Error {
  constructor(message: string) {
    super(`KV invariant broken: ${message}`);
    this.name = 'InvariantError';
  }
}

/**
 * PagedAttention's block allocator (Kwon et al., SOSP 2023): fixed-size blocks from a free list,
 * allocated one at a time as sequences grow, with reference counts so that a shared system
 * prompt and the prompt of parallel samples are stored once. Writing into a block that others
 * still reference copies it first (copy-on-write).
 * It also stores each slot's token id, so tests can read every sequence back through its table.
 */
export class PagedKv implements KvBackend {
  readonly kind = 'paged' as const;
  readonly refs: Int32Array;
  readonly fill: Int32Array;
  readonly isFree: Uint8Array;
  private readonly freeStack: Int32Array;
  private freeTop: number;
  readonly content: Float64Array;
  private readonly owner: Int32Array;
  private readonly seqOf: Int32Array;
  private readonly logical: Int32Array;
  /** Physical block holding full system-prompt block j, or -1; valid while referenced. */
  private readonly prefixBlock: Int32Array;
  /** j + 1 for a block registered as system-prompt block j, else 0. */
  private readonly prefixTag: Int32Array;
  private live = 0;
  cowCopies = 0;

  constructor(
    readonly numBlocks: number,
    readonly blockSize: number,
    readonly systemPrompt: number,
    readonly shareSystemPrompt: boolean,
  ) {
    this.refs = new Int32Array(numBlocks);
    this.fill = new Int32Array(numBlocks);
    this.isFree = new Uint8Array(numBlocks).fill(1);
    this.freeStack = new Int32Array(numBlocks);
    // Low block numbers on top, so the map fills from the start like an allocator would.
    for (let i = 0; i < numBlocks; i++) this.freeStack[i] = numBlocks - 1 - i;
    this.freeTop = numBlocks;
    this.content = new Float64Array(numBlocks * blockSize);
    this.owner = new Int32Array(numBlocks).fill(-1);
    this.seqOf = new Int32Array(numBlocks).fill(-1);
    this.logical = new Int32Array(numBlocks);
    this.prefixBlock = new Int32Array(shareSystemPrompt ? Math.floor(systemPrompt / blockSize) : 0).fill(-1);
    this.prefixTag = new Int32Array(numBlocks);
  }

  freeBlocks(): number {
    return this.freeTop;
  }
  allocatedBlocks(): number {
    return this.numBlocks - this.freeTop;
  }
  liveSlots(): number {
    return this.live;
  }

  private alloc(owner: number, seq: number, logical: number): number {
    if (this.freeTop === 0) throw new InvariantError('allocation with no free block');
    const b = this.freeStack[--this.freeTop];
    this.isFree[b] = 0;
    this.refs[b] = 1;
    this.fill[b] = 0;
    this.owner[b] = owner;
    this.seqOf[b] = seq;
    this.logical[b] = logical;
    return b;
  }

  private decRef(b: number): void {
    if (--this.refs[b] > 0) return;
    this.live -= this.fill[b];
    this.fill[b] = 0;
    this.owner[b] = -1;
    this.isFree[b] = 1;
    this.freeStack[this.freeTop++] = b;
    const tag = this.prefixTag[b];
    if (tag) {
      this.prefixBlock[tag - 1] = -1;
      this.prefixTag[b] = 0;
    }
  }

  private write(b: number, slot: number, token: number): void {
    this.content[b * this.blockSize + slot] = token;
    this.fill[b]++;
    this.live++;
  }

  private sharedPrefixBlocks(): number {
    return this.prefixBlock.length;
  }

  blocksNeeded(g: Group): number {
    const bs = this.blockSize;
    let need = 0;
    const pre = this.sharedPrefixBlocks();
    for (let j = 0; j < pre; j++) if (this.prefixBlock[j] < 0) need++;
    need += Math.ceil(g.prompt / bs) - pre;
    const promptFull = Math.floor(g.prompt / bs);
    for (const s of g.seqs) {
      if (s.done) continue;
      const len = g.prompt + s.generated;
      if (s.generated > 0) need += Math.ceil(len / bs) - promptFull;
      // Headroom for the token this step generates: a fresh block or a copy of a shared last block.
      need += 1;
    }
    // Never ask for more than the group can ever hold, or a request that just fits would wait forever.
    return Math.min(need, this.footprint(g));
  }

  canAdmit(g: Group): boolean {
    return this.blocksNeeded(g) <= this.freeTop;
  }

  /**
   * Blocks at the group's final length: full prompt blocks once, then per sequence its own blocks
   * (a shared, partly filled last prompt block ends up copied for all but one writer).
   * Blocks only grow until a sequence ends, so this is also the group's peak.
   */
  footprint(g: Group): number {
    const bs = this.blockSize;
    const promptFull = Math.floor(g.prompt / bs);
    let n = promptFull;
    for (const s of g.seqs) n += Math.ceil((g.prompt + s.target) / bs) - promptFull;
    return n;
  }

  admit(g: Group): void {
    const bs = this.blockSize;
    const live = g.seqs.filter((s) => !s.done);
    const n = live.length;
    const table: number[] = [];
    const pre = this.sharedPrefixBlocks();
    for (let j = 0; j < pre; j++) {
      let b = this.prefixBlock[j];
      if (b >= 0) {
        this.refs[b] += n;
      } else {
        b = this.alloc(-2, -1, j);
        this.refs[b] = n;
        for (let k = 0; k < bs; k++) this.write(b, k, -(j * bs + k + 1));
        this.prefixBlock[j] = b;
        this.prefixTag[b] = j + 1;
      }
      table.push(b);
    }
    // The rest of the prompt is the same for every sample: stored once, referenced n times.
    for (let j = pre; j * bs < g.prompt; j++) {
      const b = this.alloc(g.id, n > 1 ? -1 : live[0].index, j);
      this.refs[b] = n;
      const end = Math.min(bs, g.prompt - j * bs);
      for (let k = 0; k < end; k++) this.write(b, k, tokenId(this.systemPrompt, g.prompt, g.id, 0, j * bs + k));
      table.push(b);
    }
    for (const s of live) {
      s.table = table.slice();
      s.len = g.prompt;
    }
    // After a recompute preemption the generated tokens are prefilled again.
    for (const s of live) {
      const gen = s.generated;
      for (let i = 0; i < gen; i++)
        if (!this.store(s)) throw new InvariantError(`recompute of request ${g.id} ran out of blocks after admission`);
    }
  }

  append(s: Seq): boolean {
    return this.store(s);
  }

  private store(s: Seq): boolean {
    const bs = this.blockSize;
    const pos = s.len;
    const j = Math.floor(pos / bs);
    let b: number;
    if (j === s.table.length) {
      if (this.freeTop === 0) return false;
      b = this.alloc(s.group.id, s.index, j);
      s.table.push(b);
    } else {
      b = s.table[j];
      if (this.refs[b] > 1) {
        if (this.freeTop === 0) return false;
        const nb = this.alloc(s.group.id, s.index, j);
        this.content.copyWithin(nb * bs, b * bs, b * bs + this.fill[b]);
        this.fill[nb] = this.fill[b];
        this.live += this.fill[b];
        this.decRef(b);
        s.table[j] = nb;
        b = nb;
        this.cowCopies++;
      } else {
        this.seqOf[b] = s.index;
      }
    }
    this.write(b, pos - j * bs, tokenId(this.systemPrompt, s.group.prompt, s.group.id, s.index, pos));
    s.len++;
    return true;
  }

  releaseSeq(s: Seq): void {
    for (const b of s.table) this.decRef(b);
    s.table = [];
  }

  swapOut(g: Group): number {
    const index = new Map<number, number>();
    const image: SwapImage = { blocks: [], tables: [] };
    let tokens = 0;
    for (const s of g.seqs) {
      image.tables.push(
        s.table.map((b) => {
          let k = index.get(b);
          if (k === undefined) {
            k = image.blocks.length;
            index.set(b, k);
            const at = b * this.blockSize;
            image.blocks.push({
              fill: this.fill[b],
              content: this.content.slice(at, at + this.fill[b]),
              prefix: this.prefixTag[b],
              owner: this.owner[b],
              seq: this.seqOf[b],
              logical: this.logical[b],
            });
            tokens += this.fill[b];
          }
          return k;
        }),
      );
      this.releaseSeq(s);
    }
    g.swap = image;
    return tokens;
  }

  private swapNeed(img: SwapImage): number {
    let need = 0;
    for (const blk of img.blocks) if (!(blk.prefix && this.prefixBlock[blk.prefix - 1] >= 0)) need++;
    return need;
  }

  canSwapIn(g: Group): boolean {
    if (!g.swap) return false;
    return Math.min(this.swapNeed(g.swap) + g.seqs.filter((s) => !s.done).length, this.footprint(g)) <= this.freeTop;
  }

  swapIn(g: Group): number {
    const img = g.swap;
    if (!img) throw new InvariantError(`request ${g.id} has no swapped image`);
    let tokens = 0;
    // Fresh blocks start with no references and cached prefix blocks keep theirs; then every
    // table entry adds one, so counts match the tables exactly.
    const phys = img.blocks.map((blk) => {
      const cached = blk.prefix ? this.prefixBlock[blk.prefix - 1] : -1;
      if (cached >= 0) return cached;
      const b = this.alloc(blk.owner, blk.seq, blk.logical);
      this.refs[b] = 0;
      this.content.set(blk.content, b * this.blockSize);
      this.fill[b] = blk.fill;
      this.live += blk.fill;
      tokens += blk.fill;
      if (blk.prefix) {
        this.prefixBlock[blk.prefix - 1] = b;
        this.prefixTag[b] = blk.prefix;
      }
      return b;
    });
    g.seqs.forEach((s, i) => {
      s.table = img.tables[i].map((k) => phys[k]);
      for (const b of s.table) this.refs[b]++;
    });
    g.swap = null;
    return tokens;
  }

  cells(out: Float64Array): void {
    for (let b = 0; b < this.numBlocks; b++)
      out[b] = this.isFree[b]
        ? 0
        : packCell(
            this.owner[b],
            this.refs[b] > 1 ? -1 : this.seqOf[b],
            this.logical[b],
            this.fill[b],
            this.refs[b] > 1,
          );
  }

  check(groups: Iterable<Group>): void {
    const bs = this.blockSize;
    const counted = new Int32Array(this.numBlocks);
    let freeSeen = 0;
    for (let i = 0; i < this.freeTop; i++) {
      const b = this.freeStack[i];
      if (!this.isFree[b]) throw new InvariantError(`block ${b} is on the free list but marked owned`);
      if (counted[b]) throw new InvariantError(`block ${b} is on the free list twice`);
      counted[b] = 1;
      freeSeen++;
    }
    counted.fill(0);
    let liveSum = 0;
    for (let b = 0; b < this.numBlocks; b++) {
      if (this.isFree[b] && this.refs[b] !== 0)
        throw new InvariantError(`block ${b} is free with ${this.refs[b]} references`);
      if (!this.isFree[b] && this.refs[b] <= 0)
        throw new InvariantError(`block ${b} is owned with ${this.refs[b]} references`);
      if (!this.isFree[b]) liveSum += this.fill[b];
    }
    if (freeSeen !== this.numBlocks - this.allocatedBlocksByFlag())
      throw new InvariantError(
        `free list has ${freeSeen} blocks but ${this.numBlocks - this.allocatedBlocksByFlag()} are marked free`,
      );
    if (liveSum !== this.live) throw new InvariantError(`live slot counter ${this.live} != sum of fills ${liveSum}`);
    for (const g of groups) {
      if (g.state !== 'running') continue;
      for (const s of g.seqs) {
        if (s.done) {
          if (s.table.length) throw new InvariantError(`finished sequence ${g.id}.${s.index} still holds blocks`);
          continue;
        }
        if (s.table.length !== Math.ceil(s.len / bs))
          throw new InvariantError(`sequence ${g.id}.${s.index} has ${s.len} tokens but ${s.table.length} blocks`);
        for (let j = 0; j < s.table.length; j++) {
          const b = s.table[j];
          if (this.isFree[b]) throw new InvariantError(`sequence ${g.id}.${s.index} references free block ${b}`);
          counted[b]++;
          const inBlock = Math.min(bs, s.len - j * bs);
          if (this.fill[b] !== inBlock)
            throw new InvariantError(
              `block ${b} holds ${this.fill[b]} tokens but sequence ${g.id}.${s.index} has ${inBlock} there`,
            );
          for (let k = 0; k < inBlock; k++) {
            const pos = j * bs + k;
            const want = tokenId(this.systemPrompt, g.prompt, g.id, s.index, pos);
            if (this.content[b * bs + k] !== want)
              throw new InvariantError(
                `sequence ${g.id}.${s.index} reads a wrong token at position ${pos} (block ${b}): copy-on-write broken`,
              );
          }
        }
      }
    }
    for (let b = 0; b < this.numBlocks; b++)
      if (counted[b] !== this.refs[b])
        throw new InvariantError(
          `block ${b} has ${this.refs[b]} references but ${counted[b]} block-table entries point at it`,
        );
  }

  private allocatedBlocksByFlag(): number {
    let n = 0;
    for (let b = 0; b < this.numBlocks; b++) if (!this.isFree[b]) n++;
    return n;
  }
}
