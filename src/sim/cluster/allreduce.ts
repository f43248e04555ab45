/**
 * Ring all-reduce (Patarasuk & Yuan 2009; the algorithm NCCL and Horovod use for large
 * messages) as pure code. The gradient vector is cut into N chunks. Reduce-scatter: N−1 steps in
 * which every rank sends one chunk to its right neighbour and adds the chunk arriving from its
 * left; afterwards rank r holds the full sum of chunk (r+1) mod N. All-gather: N−1 more steps
 * passing the finished chunks around. Each rank sends 2(N−1) chunks: 2(N−1)/N of the gradient
 * bytes, independent of N for large N, which is why the ring is bandwidth-optimal.
 *
 * The same async `ringAllReduce` runs inside the browser workers (over MessagePorts) and in tests
 * (over in-memory links); `ringAllReduceSync` performs the identical additions in the identical
 * order, so the pure trainer reproduces the workers' floats bit for bit.
 */

/** Chunk boundaries: chunk c is [b[c], b[c+1]); sizes differ by at most one element. */
export function chunkBounds(length: number, world: number): number[] {
  const b: number[] = [];
  for (let c = 0; c <= world; c++) b.push(Math.floor((c * length) / world));
  return b;
}

const mod = (a: number, n: number) => ((a % n) + n) % n;

/** Chunks rank r sends and receives at step s of each phase. */
export function ringSchedule(
  world: number,
  rank: number,
  phase: 'reduce-scatter' | 'all-gather',
  s: number,
): { send: number; recv: number } {
  return phase === 'reduce-scatter'
    ? { send: mod(rank - s, world), recv: mod(rank - s - 1, world) }
    : { send: mod(rank + 1 - s, world), recv: mod(rank - s, world) };
}

/** The textbook figure: bytes each rank sends in one ring all-reduce of `gradBytes`. */
export function ringBytesFormula(gradBytes: number, world: number): number {
  return world <= 1 ? 0 : (2 * (world - 1) * gradBytes) / world;
}

/** Exact bytes rank r sends for `length` float32 elements (chunks may be uneven by one element). */
export function ringBytesSent(length: number, world: number, rank: number, bytesPerElement = 4): number {
  if (world <= 1) return 0;
  const b = chunkBounds(length, world);
  let elems = 0;
  for (let s = 0; s < world - 1; s++) {
    for (const phase of ['reduce-scatter', 'all-gather'] as const) {
      const c = ringSchedule(world, rank, phase, s).send;
      elems += b[c + 1] - b[c];
    }
  }
  return elems * bytesPerElement;
}

/** A rank's view of the ring: send to the right neighbour, receive from the left, in order. */
export interface RingLink {
  send(msg: RingMessage): void;
  recv(): Promise<RingMessage>;
}

export interface RingMessage {
  /** Tags checked on arrival: a mismatch means a message from another step or a stale ring. */
  step: number;
  phase: 'reduce-scatter' | 'all-gather';
  s: number;
  chunk: number;
  data: Float32Array;
}

/** Adds src into dst[offset…]: a float32 add per element (JS adds in float64 and rounds once, which equals an IEEE float32 add). */
function addInto(dst: Float32Array, offset: number, src: Float32Array): void {
  for (let i = 0; i < src.length; i++) dst[offset + i] += src[i];
}

export interface RingStats {
  bytesSent: number;
  messages: number;
}

/**
 * Ring all-reduce of `buf` in place (sum over ranks) from rank `rank`'s side. Resolves when this
 * rank holds the full sum. A missing neighbour makes `recv` wait forever: the job's watchdog, not
 * this function, decides a rank is dead (as NCCL's watchdog does).
 */
export async function ringAllReduce(
  buf: Float32Array,
  world: number,
  rank: number,
  link: RingLink,
  step: number,
): Promise<RingStats> {
  const stats: RingStats = { bytesSent: 0, messages: 0 };
  if (world <= 1) return stats;
  const b = chunkBounds(buf.length, world);
  for (const phase of ['reduce-scatter', 'all-gather'] as const) {
    for (let s = 0; s < world - 1; s++) {
      const { send, recv } = ringSchedule(world, rank, phase, s);
      const data = buf.slice(b[send], b[send + 1]);
      // Counted before sending: a link may transfer (detach) the buffer.
      stats.bytesSent += data.byteLength;
      link.send({ step, phase, s, chunk: send, data });
      stats.messages++;
      const m = await link.recv();
      if (
        m.step !== step ||
        m.phase !== phase ||
        m.s !== s ||
        m.chunk !== recv ||
        m.data.length !== b[recv + 1] - b[recv]
      ) {
        throw new Error(
          `rank ${rank}: expected ${phase} step ${s} chunk ${recv} of step ${step}, got ${m.phase} step ${m.s} chunk ${m.chunk} of step ${m.step}`,
        );
      }
      if (phase === 'reduce-scatter') addInto(buf, b[recv], m.data);
      else buf.set(m.data, b[recv]);
    }
  }
  return stats;
}

/**
 * The result every rank ends up with after `ringAllReduce`, computed without any messages. At
 * reduce-scatter step s rank r adds its own chunk r−s−1 to the partial sum arriving from rank r−1,
 * so chunk c accumulates ranks c, c+1, …, c+N−1 in that order, one float32 add at a time.
 */
export function ringAllReduceSync(bufs: Float32Array[]): Float32Array {
  const world = bufs.length;
  const len = bufs[0].length;
  if (world === 1) return bufs[0].slice();
  const b = chunkBounds(len, world);
  const out = new Float32Array(len);
  for (let c = 0; c < world; c++) {
    const acc = bufs[c].slice(b[c], b[c + 1]);
    for (let k = 1; k < world; k++) {
      // The receiving rank adds its own values to the partial sum it received: own + partial.
      const own = bufs[(c + k) % world];
      for (let i = 0; i < acc.length; i++) acc[i] = Math.fround(own[b[c] + i] + acc[i]);
    }
    out.set(acc, b[c]);
  }
  return out;
}

/** In-memory links for N ranks (tests): link r sends to r+1 and receives from r−1. */
export function memoryRing(world: number): RingLink[] {
  const queues: RingMessage[][] = Array.from({ length: world }, () => []);
  const waiting: (((m: RingMessage) => void) | null)[] = Array.from({ length: world }, () => null);
  return Array.from({ length: world }, (_, r) => ({
    send(msg: RingMessage) {
      const to = (r + 1) % world;
      const w = waiting[to];
      if (w) {
        waiting[to] = null;
        w(msg);
      } else queues[to].push(msg);
    },
    recv() {
      const m = queues[r].shift();
      if (m) return Promise.resolve(m);
      return new Promise<RingMessage>((resolve) => (waiting[r] = resolve));
    },
  }));
}
