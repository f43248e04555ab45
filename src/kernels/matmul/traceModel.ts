import { effectiveShape, isNaive, transposedPad, type MatmulDims, type MatmulVariant, type TileShape } from './types';
import { workgroupSize } from './workgroup';

/**
 * The CPU model of the trace build (shaders/matmul/trace_on.wgsl): the same index expressions as
 * each kernel, evaluated for one workgroup and one K step, giving every invocation's accesses in
 * program order. Tests hold the GPU's trace equal to this, event for event, on every ladder rung.
 *
 * An event is one u32, as the shader writes it: (space << 28) | word, or SKIPPED where the
 * invocation does not make that access (an out-of-range element; the rest of its subgroup does).
 */
export const SPACE = { globalA: 0, globalB: 1, globalC: 2, storeA: 3, loadA: 4, storeB: 5, loadB: 6 } as const;
export type SpaceCode = (typeof SPACE)[keyof typeof SPACE];
/** Added to a space when the access is a 16-byte vec4 (word = its first 4-byte word). */
export const VEC4_FLAG = 8;
export const SKIPPED = 0xffffffff;
/** Events an invocation records per traced step; more are counted but not stored. */
export const TRACE_SLOTS = 512;
/** k values per traced step of the naive kernels, which have no K tiles of their own. */
export const NAIVE_STEP_K = 16;

export function encodeEvent(space: number, word: number, vec4 = false): number {
  return (((space + (vec4 ? VEC4_FLAG : 0)) << 28) | word) >>> 0;
}

/** Which output tile a workgroup computes, and which K step is traced. */
export interface TracePoint {
  /** Output tile row (along M) and column (along N). */
  tm: number;
  tn: number;
  step: number;
}

/** The workgroup id the kernel sees for output tile (tm, tn): the column-major walk swaps x and y. */
export function traceWorkgroupId(variant: MatmulVariant, p: TracePoint): { x: number; y: number } {
  return variant === 'naive-colmajor' ? { x: p.tm, y: p.tn } : { x: p.tn, y: p.tm };
}

/** K steps a variant's loop takes (naive: windows of NAIVE_STEP_K values of k). */
export function traceSteps(variant: MatmulVariant, dims: MatmulDims, shape: TileShape): number {
  const s = effectiveShape(variant, shape);
  return Math.ceil(dims.K / (isNaive(variant) ? NAIVE_STEP_K : s.tileK));
}

/** Output tiles along M and N (the naive kernels' 16×16 workgroups count as tiles). */
export function traceTiles(variant: MatmulVariant, dims: MatmulDims, shape: TileShape): { rows: number; cols: number } {
  const s = effectiveShape(variant, shape);
  return { rows: Math.ceil(dims.M / s.tileM), cols: Math.ceil(dims.N / s.tileN) };
}

/** Every invocation's events (index = local invocation index) for one workgroup and K step. */
export function modelTrace(variant: MatmulVariant, dims: MatmulDims, shape: TileShape, p: TracePoint): number[][] {
  const s = effectiveShape(variant, shape);
  const wg = workgroupSize(variant, s);
  const out: number[][] = Array.from({ length: wg.total }, () => []);
  const { M, N, K } = dims;
  const tB = Boolean(dims.transposeB);
  const bWord = (k: number, n: number) => (tB ? n * K + k : k * N + n);
  if (isNaive(variant)) {
    const k0 = p.step * NAIVE_STEP_K;
    for (let ly = 0; ly < wg.y; ly++) {
      for (let lx = 0; lx < wg.x; lx++) {
        const tid = ly * wg.x + lx;
        const gx = (variant === 'naive' ? p.tn : p.tm) * wg.x + lx;
        const gy = (variant === 'naive' ? p.tm : p.tn) * wg.y + ly;
        const [m, n] = variant === 'naive' ? [gy, gx] : [gx, gy];
        if (m >= M || n >= N) continue;
        for (let k = k0; k < Math.min(K, k0 + NAIVE_STEP_K); k++)
          out[tid].push(encodeEvent(SPACE.globalA, m * K + k), encodeEvent(SPACE.globalB, bWord(k, n)));
      }
    }
    return out;
  }
  const { tileM: TM, tileN: TN, tileK: TK, blockM: BM, blockN: BN } = s;
  const TX = TN / BN;
  const TY = TM / BM;
  const threads = TX * TY;
  const row0 = p.tm * TM;
  const col0 = p.tn * TN;
  const k0 = p.step * TK;
  const ev = (live: boolean, space: number, word: number, vec4 = false) =>
    live ? encodeEvent(space, word, vec4) : SKIPPED;

  if (variant === 'register-blocked-vec4') {
    const K4 = TK / 4;
    const N4 = TN / 4;
    const BN4 = BN / 4;
    const vecA = K % 4 === 0;
    const vecB = !tB && N % 4 === 0;
    for (let tid = 0; tid < threads; tid++) {
      const e = out[tid];
      const lx = tid % TX;
      const ly = Math.floor(tid / TX);
      for (let i = tid; i < TM * K4; i += threads) {
        const gm = row0 + Math.floor(i / K4);
        const gk = k0 + (i % K4) * 4;
        if (vecA) e.push(ev(gm < M && gk < K, SPACE.globalA, gm * K + gk, true));
        else for (let q = 0; q < 4; q++) e.push(ev(gm < M && gk + q < K, SPACE.globalA, gm * K + gk + q));
        e.push(ev(true, SPACE.storeA, i * 4, true));
      }
      for (let i = tid; i < TK * N4; i += threads) {
        const gk = k0 + Math.floor(i / N4);
        const gn = col0 + (i % N4) * 4;
        if (vecB) e.push(ev(gk < K && gn < N, SPACE.globalB, gk * N + gn, true));
        else for (let q = 0; q < 4; q++) e.push(ev(gk < K && gn + q < N, SPACE.globalB, bWord(gk, gn + q)));
        e.push(ev(true, SPACE.storeB, i * 4, true));
      }
      for (let kk = 0; kk < K4; kk++) {
        for (let j = 0; j < BN4; j++) {
          const base = kk * 4 * N4 + lx + j * TX;
          for (let q = 0; q < 4; q++) e.push(ev(true, SPACE.loadB, (base + q * N4) * 4, true));
          for (let i = 0; i < BM; i++) e.push(ev(true, SPACE.loadA, ((ly + i * TY) * K4 + kk) * 4, true));
        }
      }
    }
    return out;
  }

  const transposed = variant === 'transposed-a' || variant === 'transposed-a-padded';
  const aStride = TM + transposedPad(variant, s);
  for (let tid = 0; tid < threads; tid++) {
    const e = out[tid];
    const lx = tid % TX;
    const ly = Math.floor(tid / TX);
    for (let i = tid; i < TM * TK; i += threads) {
      const m = Math.floor(i / TK);
      const k = i % TK;
      e.push(ev(row0 + m < M && k0 + k < K, SPACE.globalA, (row0 + m) * K + k0 + k));
      e.push(ev(true, SPACE.storeA, transposed ? k * aStride + m : i));
    }
    for (let i = tid; i < TK * TN; i += threads) {
      const r = tB ? i % TK : Math.floor(i / TN);
      const c = tB ? Math.floor(i / TK) : i % TN;
      e.push(ev(k0 + r < K && col0 + c < N, SPACE.globalB, bWord(k0 + r, col0 + c)));
      e.push(ev(true, SPACE.storeB, r * TN + c));
    }
    for (let kk = 0; kk < TK; kk++) {
      for (let i = 0; i < BM; i++)
        e.push(ev(true, SPACE.loadA, transposed ? kk * aStride + ly + i * TY : (ly + i * TY) * TK + kk));
      for (let j = 0; j < BN; j++) e.push(ev(true, SPACE.loadB, kk * TN + lx + j * TX));
    }
  }
  return out;
}
