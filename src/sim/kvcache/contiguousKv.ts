import { InvariantError } from './pagedKv';
import { packCell, type Group, type KvBackend, type Seq } from './state';

/**
 * The baseline of serving systems before paging (FasterTransformer, Orca): each sequence reserves
 * one contiguous region for its largest possible length (prompt + max_tokens) when it is admitted,
 * because the KV tensor of a sequence had to be contiguous. Nothing is shared.
 * Regions are whole blocks here so both memories draw on the same grid; the rounding is at most
 * one block per sequence, tiny against a reservation of hundreds of tokens.
 * Free space is a sorted list of holes, first fit; holes too small for the next request are
 * external fragmentation.
 */
export class ContiguousKv implements KvBackend {
  readonly kind = 'contiguous' as const;
  /** Free holes as [start, length] in blocks, sorted by start, never adjacent. */
  private holes: [number, number][];
  private allocated = 0;
  private live = 0;
  private readonly owner: Int32Array;
  private readonly seqOf: Int32Array;
  private readonly fill: Int32Array;
  private readonly regionStart: Int32Array;
  cowCopies = 0;

  constructor(
    readonly numBlocks: number,
    readonly blockSize: number,
  ) {
    this.holes = [[0, numBlocks]];
    this.owner = new Int32Array(numBlocks).fill(-1);
    this.seqOf = new Int32Array(numBlocks).fill(-1);
    this.fill = new Int32Array(numBlocks);
    this.regionStart = new Int32Array(numBlocks);
  }

  freeBlocks(): number {
    return this.numBlocks - this.allocated;
  }
  allocatedBlocks(): number {
    return this.allocated;
  }
  liveSlots(): number {
    return this.live;
  }

  /** Blocks one sequence of the group reserves: its whole possible length. */
  regionBlocks(g: Group): number {
    return Math.ceil((g.prompt + g.req.maxTokens) / this.blockSize);
  }

  blocksNeeded(g: Group): number {
    return this.regionBlocks(g) * g.seqs.filter((s) => !s.done).length;
  }

  footprint(g: Group): number {
    return this.regionBlocks(g) * g.seqs.length;
  }

  /** First-fit placement of `count` regions of `size` blocks, without changing the holes. */
  private place(size: number, count: number): number[] | null {
    if (count === 1) {
      for (const h of this.holes) if (h[1] >= size) return [h[0]];
      return null;
    }
    const holes = this.holes.map((h) => [h[0], h[1]] as [number, number]);
    const starts: number[] = [];
    for (let i = 0; i < count; i++) {
      const h = holes.find((x) => x[1] >= size);
      if (!h) return null;
      starts.push(h[0]);
      h[0] += size;
      h[1] -= size;
    }
    return starts;
  }

  canAdmit(g: Group): boolean {
    let live = 0;
    for (const s of g.seqs) if (!s.done) live++;
    return this.place(this.regionBlocks(g), live) !== null;
  }

  /** The largest hole, in blocks. */
  largestHole(): number {
    let m = 0;
    for (const h of this.holes) m = Math.max(m, h[1]);
    return m;
  }

  admit(g: Group): void {
    const size = this.regionBlocks(g);
    const live = g.seqs.filter((s) => !s.done);
    const starts = this.place(size, live.length);
    if (!starts) throw new InvariantError(`request ${g.id} admitted without a hole of ${size} blocks`);
    live.forEach((s, i) => {
      this.take(starts[i], size);
      s.table = [starts[i], size];
      for (let k = 0; k < size; k++) {
        const b = starts[i] + k;
        this.owner[b] = g.id;
        this.seqOf[b] = s.index;
        this.regionStart[b] = starts[i];
        this.fill[b] = 0;
      }
      s.len = 0;
      const total = g.prompt + s.generated;
      for (let p = 0; p < total; p++) this.put(s);
    });
  }

  private take(start: number, size: number): void {
    const i = this.holes.findIndex((h) => h[0] <= start && start + size <= h[0] + h[1]);
    if (i < 0) throw new InvariantError(`region ${start}+${size} is not inside a hole`);
    const [hs, hl] = this.holes[i];
    const parts: [number, number][] = [];
    if (start > hs) parts.push([hs, start - hs]);
    if (start + size < hs + hl) parts.push([start + size, hs + hl - start - size]);
    this.holes.splice(i, 1, ...parts);
    this.allocated += size;
  }

  private put(s: Seq): void {
    const b = s.table[0] + Math.floor(s.len / this.blockSize);
    if (b >= s.table[0] + s.table[1])
      throw new InvariantError(`sequence ${s.group.id}.${s.index} grew past its reservation`);
    this.fill[b]++;
    this.live++;
    s.len++;
  }

  append(s: Seq): boolean {
    this.put(s);
    return true;
  }

  releaseSeq(s: Seq): void {
    if (!s.table.length) return;
    const [start, size] = s.table;
    for (let k = 0; k < size; k++) {
      const b = start + k;
      this.live -= this.fill[b];
      this.fill[b] = 0;
      this.owner[b] = -1;
    }
    this.allocated -= size;
    // Insert the hole and merge with neighbours, keeping the list sorted.
    let i = 0;
    while (i < this.holes.length && this.holes[i][0] < start) i++;
    this.holes.splice(i, 0, [start, size]);
    if (i + 1 < this.holes.length && this.holes[i][0] + this.holes[i][1] === this.holes[i + 1][0]) {
      this.holes[i][1] += this.holes[i + 1][1];
      this.holes.splice(i + 1, 1);
    }
    if (i > 0 && this.holes[i - 1][0] + this.holes[i - 1][1] === this.holes[i][0]) {
      this.holes[i - 1][1] += this.holes[i][1];
      this.holes.splice(i, 1);
    }
    s.table = [];
  }

  // A reservation never runs out, so the baseline never preempts and never swaps.
  swapOut(): number {
    throw new InvariantError('the contiguous baseline never preempts');
  }
  canSwapIn(): boolean {
    return false;
  }
  swapIn(): number {
    throw new InvariantError('the contiguous baseline never swaps');
  }

  cells(out: Float64Array): void {
    for (let b = 0; b < this.numBlocks; b++)
      out[b] =
        this.owner[b] < 0 ? 0 : packCell(this.owner[b], this.seqOf[b], b - this.regionStart[b], this.fill[b], false);
  }

  check(groups: Iterable<Group>): void {
    const owned = new Uint8Array(this.numBlocks);
    let prevEnd = -1;
    let free = 0;
    for (const [s, l] of this.holes) {
      if (l <= 0 || s <= prevEnd) throw new InvariantError(`holes overlap, touch or are empty at block ${s}`);
      prevEnd = s + l;
      free += l;
      for (let b = s; b < s + l; b++)
        if (this.owner[b] >= 0)
          throw new InvariantError(`block ${b} is in a hole but owned by request ${this.owner[b]}`);
    }
    if (free !== this.numBlocks - this.allocated)
      throw new InvariantError(`holes hold ${free} blocks but ${this.numBlocks - this.allocated} are free`);
    let live = 0;
    let reserved = 0;
    for (const g of groups) {
      if (g.state !== 'running') continue;
      for (const s of g.seqs) {
        if (s.done) continue;
        const [start, size] = s.table;
        reserved += size;
        for (let b = start; b < start + size; b++) {
          if (owned[b]) throw new InvariantError(`block ${b} reserved by two sequences`);
          owned[b] = 1;
          if (this.owner[b] !== g.id) throw new InvariantError(`block ${b} should belong to request ${g.id}`);
          const want = Math.max(0, Math.min(this.blockSize, s.len - (b - start) * this.blockSize));
          if (this.fill[b] !== want)
            throw new InvariantError(`block ${b} holds ${this.fill[b]} tokens, sequence has ${want} there`);
        }
        live += s.len;
      }
    }
    if (reserved !== this.allocated)
      throw new InvariantError(`sequences reserve ${reserved} blocks but ${this.allocated} are allocated`);
    if (live !== this.live) throw new InvariantError(`live slot counter ${this.live} != ${live}`);
  }
}
