import { SKIPPED, VEC4_FLAG } from './traceModel';

/**
 * What one subgroup's access costs the memory system, from a trace (GPU or model alike).
 *
 * A subgroup (warp) issues one access instruction for all its invocations at once; the j-th event
 * of each invocation is the same instruction (the trace records skipped accesses, so positions line
 * up). For global memory the unit is the 128-byte segment (an L1 cache line: 4 sectors of 32 B):
 * a coalesced access touches ⌈bytes/128⌉ of them, a strided one one per invocation. Workgroup
 * memory is 32 banks of 4 bytes; invocations reading the same word share it (broadcast), distinct
 * words in one bank are served one after another, so an access takes as many passes ("ways") as
 * the busiest bank has distinct words; ⌈words/32⌉ is the least any layout can do. A 16-byte (vec4)
 * access is not one 32-lane request: NVIDIA serves 128-bit shared loads and stores in quarter-warp
 * phases of 8 lanes (8 × 16 B = the 128 bytes the 32 banks deliver at once), so its cost is the sum
 * over the phases of each phase's busiest bank, and a full warp needs at least 4 passes (wavefronts)
 * however its words fall. These are NVIDIA's rules (CUDA C++ Programming Guide, compute capability 5.x+ shared memory and
 * global memory sections); other GPUs differ in the details, and a CPU adapter has neither.
 */
export const SEGMENT_BYTES = 128;
export const BANKS = 32;
/** Lanes served together by one pass of a 16-byte (vec4) workgroup-memory access: a quarter warp. */
export const VEC4_PHASE_LANES = 8;

export type AccessKind = 'global' | 'shared';

export interface SubgroupAccess {
  subgroup: number;
  /** Position in the invocations' program order (the trace index). */
  index: number;
  /** 0 A read, 1 B read, 2 C write, 3 tile A store, 4 tile A load, 5 tile B store, 6 tile B load. */
  space: number;
  kind: AccessKind;
  vec4: boolean;
  /** Invocations that made the access. */
  lanes: number;
  /** Global: 128-byte segments touched. Shared: passes the busiest bank needs (vec4: summed over the 8-lane phases). */
  cost: number;
  /** The least possible for the same data: ⌈bytes/128⌉ segments, ⌈words/32⌉ passes (vec4: one per phase with an active lane). */
  ideal: number;
}

export const SPACE_NAMES = [
  'A read',
  'B read',
  'C write',
  'tile A store',
  'tile A load',
  'tile B store',
  'tile B load',
] as const;

export function decodeEvent(e: number): { space: number; word: number; vec4: boolean } | null {
  if (e === SKIPPED) return null;
  const top = e >>> 28;
  return { space: top & (VEC4_FLAG - 1), word: e & 0x0fffffff, vec4: (top & VEC4_FLAG) !== 0 };
}

/** Groups a trace (events per invocation, by local index) into subgroup accesses of `width` invocations. */
export function subgroupAccesses(trace: readonly (readonly number[])[], width: number): SubgroupAccess[] {
  if (!Number.isInteger(width) || width < 1)
    throw new RangeError(`Subgroup size must be a whole number ≥ 1 (got ${width}).`);
  const out: SubgroupAccess[] = [];
  const groups = Math.ceil(trace.length / width);
  for (let g = 0; g < groups; g++) {
    const lanes = trace.slice(g * width, (g + 1) * width);
    const len = Math.max(0, ...lanes.map((l) => l.length));
    for (let j = 0; j < len; j++) {
      const words: number[] = [];
      // The words of each quarter-warp phase (lane ÷ 8), for the vec4 rule.
      const phases = new Map<number, number[]>();
      let space = -1;
      let vec4 = false;
      let active = 0;
      lanes.forEach((l, lane) => {
        const d = j < l.length ? decodeEvent(l[j]) : null;
        if (!d) return;
        active++;
        space = d.space;
        vec4 = d.vec4;
        const phase = phases.get(Math.floor(lane / VEC4_PHASE_LANES)) ?? [];
        for (let q = 0; q < (d.vec4 ? 4 : 1); q++) {
          words.push(d.word + q);
          phase.push(d.word + q);
        }
        phases.set(Math.floor(lane / VEC4_PHASE_LANES), phase);
      });
      if (!active) continue;
      const kind: AccessKind = space <= 2 ? 'global' : 'shared';
      const unique = new Set(words);
      let cost: number;
      let ideal: number;
      if (kind === 'global') {
        cost = new Set([...unique].map((w) => Math.floor((w * 4) / SEGMENT_BYTES))).size;
        ideal = Math.ceil((unique.size * 4) / SEGMENT_BYTES);
      } else if (vec4) {
        cost = 0;
        ideal = 0;
        for (const phase of phases.values()) {
          const mine = new Set(phase);
          cost += busiestBank(mine);
          ideal += Math.ceil(mine.size / BANKS);
        }
      } else {
        cost = busiestBank(unique);
        ideal = Math.ceil(unique.size / BANKS);
      }
      out.push({ subgroup: g, index: j, space, kind, vec4, lanes: active, cost, ideal });
    }
  }
  return out;
}

/** Passes one request needs: the most distinct words any one bank holds (same word = broadcast). */
function busiestBank(words: ReadonlySet<number>): number {
  const perBank = new Map<number, number>();
  for (const w of words) perBank.set(w % BANKS, (perBank.get(w % BANKS) ?? 0) + 1);
  return Math.max(0, ...perBank.values());
}

export interface AccessSummary {
  /** Subgroup accesses to global memory, and the 128-byte segments they touched in all. */
  globalAccesses: number;
  segments: number;
  /** The segments a perfectly coalesced pattern would need for the same bytes. */
  idealSegments: number;
  sharedAccesses: number;
  /** Bank passes in all, and the least possible. */
  bankPasses: number;
  idealPasses: number;
  /** Extra passes per workgroup-memory access: (passes − ideal) / accesses; 0 = conflict-free. */
  conflictsPerAccess: number;
  /** Segments per global access. */
  segmentsPerAccess: number;
}

export function summarizeAccesses(acc: readonly SubgroupAccess[]): AccessSummary {
  const g = acc.filter((a) => a.kind === 'global');
  const s = acc.filter((a) => a.kind === 'shared');
  const sum = (xs: SubgroupAccess[], f: (a: SubgroupAccess) => number) => xs.reduce((t, a) => t + f(a), 0);
  const segments = sum(g, (a) => a.cost);
  const bankPasses = sum(s, (a) => a.cost);
  const idealPasses = sum(s, (a) => a.ideal);
  return {
    globalAccesses: g.length,
    segments,
    idealSegments: sum(g, (a) => a.ideal),
    sharedAccesses: s.length,
    bankPasses,
    idealPasses,
    conflictsPerAccess: s.length ? (bankPasses - idealPasses) / s.length : 0,
    segmentsPerAccess: g.length ? segments / g.length : 0,
  };
}

/**
 * A heatmap grid: one row per subgroup, one column per access of the given kind in program order,
 * each cell the cost (segments or bank passes); null where the subgroup made no such access.
 */
export function accessGrid(
  acc: readonly SubgroupAccess[],
  kind: AccessKind,
): { columns: { index: number; space: number }[]; rows: (number | null)[][] } {
  const mine = acc.filter((a) => a.kind === kind);
  const indices = [...new Set(mine.map((a) => a.index))].sort((x, y) => x - y);
  const col = new Map(indices.map((ix, c) => [ix, c]));
  const groups = Math.max(0, ...mine.map((a) => a.subgroup + 1));
  const rows: (number | null)[][] = Array.from({ length: groups }, () =>
    new Array<number | null>(indices.length).fill(null),
  );
  const space = new Map<number, number>();
  for (const a of mine) {
    rows[a.subgroup][col.get(a.index)!] = a.cost;
    space.set(a.index, a.space);
  }
  return { columns: indices.map((index) => ({ index, space: space.get(index)! })), rows };
}
