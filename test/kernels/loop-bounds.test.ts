import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixedTripLoops } from '../../src/kernels/loops';

/**
 * Every shader in shaders/ against fixedTripLoops() (src/kernels/loops.ts): a loop whose trip count
 * is fixed at build time is fully unrolled by lazily compiling drivers (lavapipe ran LLVM for 9-27 s
 * at the first dispatch of each quantized GEMV before its loops took run-time bounds). A loop may
 * keep a build-time bound only when it is listed here, with why it stays small.
 */
const SHADERS = import.meta.glob('../../shaders/**/*.wgsl', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/** The tree reductions over a workgroup: log2(workgroup size) steps of one shared-memory add each. */
const TREE = 'tree reduction: log2(workgroup size) steps, one workgroup-memory access each';

/**
 * The quantized GEMV's register block: ROWS × M_TILE (4 × 4) accumulators, which need constant
 * indices to stay in registers (a run-time bound made them private memory). The sub-step loop
 * around it and the reduction epilogue have run-time bounds, so the unrolled code is one block.
 */
const QUANT_BLOCK = 'ROWS × M_TILE register block (16 dot products), inside a run-time-bounded loop';

/**
 * Allowed build-time-bounded loops, keyed `file (under shaders/) | loop condition`, with the reason.
 * A condition covers every loop of that file with it.
 */
const ALLOWED: Record<string, string> = {
  'adamw/norm_final.wgsl | k > 0u': TREE,
  'adamw/norm_partial.wgsl | k > 0u': TREE,
  'crossentropy/forward.wgsl | k > 0u': TREE,
  'crossentropy/mean.wgsl | k > 0u': TREE,
  'layernorm/forward.wgsl | s > 0u': TREE,
  'layernorm/backward_dx.wgsl | s > 0u': TREE,
  'kvcache/contiguous.wgsl | stride > 0u': TREE,
  'kvcache/paged.wgsl | stride > 0u': TREE,
  'ceilings/fma.wgsl | k < ITERATIONS':
    'the FMA ceiling measures a chain of ITERATIONS dependent FMAs; a plain loop body of two vec4 FMAs',
  'overhead/add.wgsl | a < ADDS': 'the overhead regime fuses ADDS scalar adds on purpose; one add in the body',
  'precision/cast.wgsl | j < ELEMS_PER_THREAD':
    'ELEMS_PER_THREAD (8) global loads per invocation, no workgroup memory and no inner loop',
  'quant/f32.wgsl | r < ROWS': QUANT_BLOCK,
  'quant/f32.wgsl | m < M_TILE': QUANT_BLOCK,
  'quant/f32_subgroup.wgsl | r < ROWS': QUANT_BLOCK,
  'quant/f32_subgroup.wgsl | m < M_TILE': QUANT_BLOCK,
  'quant/f16.wgsl | r < ROWS': QUANT_BLOCK,
  'quant/f16.wgsl | m < M_TILE': QUANT_BLOCK,
  'quant/f16_arith.wgsl | r < ROWS': QUANT_BLOCK,
  'quant/f16_arith.wgsl | m < M_TILE': QUANT_BLOCK,
  'quant/int8.wgsl | r < ROWS': QUANT_BLOCK,
  'quant/int8.wgsl | m < M_TILE': QUANT_BLOCK,
  'quant/int4.wgsl | r < ROWS': QUANT_BLOCK,
  'quant/int4.wgsl | m < M_TILE': QUANT_BLOCK,
  'quant/int4_zp.wgsl | r < ROWS': QUANT_BLOCK,
  'quant/int4_zp.wgsl | m < M_TILE': QUANT_BLOCK,
  // Owned and guarded elsewhere (matmul-subgroup, build-cost and attention tests); listed so a new
  // fixed loop there still fails here. Entries here may go stale when their owners remove the loop.
  'attention/pv.wgsl | a < RB * RB': 'textbook attention register block (RB×RB); owned by the attention kernels',
  'attention/pv.wgsl | i < RB': 'textbook attention register block rows; owned by the attention kernels',
  'attention/pv.wgsl | j < RB': 'textbook attention register block columns; owned by the attention kernels',
  'attention/scores.wgsl | a < RB * RB': 'textbook attention register block (RB×RB); owned by the attention kernels',
  'attention/scores.wgsl | i < RB': 'textbook attention register block rows; owned by the attention kernels',
  'attention/scores.wgsl | j < RB': 'textbook attention register block columns; owned by the attention kernels',
  'attention/softmax.wgsl | stride > 0u': TREE,
  'attention/softmax_one_read.wgsl | stride > 0u': TREE,
  'attention/softmax_one_read.wgsl | c < PER': 'PER values of a row held in registers; owned by the attention kernels',
  'matmul/register_blocked.wgsl | i < BLOCK_M': 'register block rows (registers need constant indices); matmul owners',
  'matmul/register_blocked.wgsl | j < BLOCK_N':
    'register block columns (registers need constant indices); matmul owners',
  'matmul/register_blocked.wgsl | kk < TILE_K': 'the k-steps of one staged tile; matmul owners',
  'matmul/register_blocked_at.wgsl | i < BLOCK_M': 'register block rows; matmul owners',
  'matmul/register_blocked_at.wgsl | j < BLOCK_N': 'register block columns; matmul owners',
  'matmul/register_blocked_at.wgsl | kk < TILE_K': 'the k-steps of one staged tile; matmul owners',
  'matmul/register_blocked_vec4.wgsl | i < BLOCK_M': 'register block rows; matmul owners',
  'matmul/register_blocked_vec4.wgsl | q < 4u': 'the four components of a vec4; matmul owners',
  'matmul/tiled.wgsl | kk < TILE_K': 'the k-steps of one staged tile; matmul owners',
};

/** Directories whose owners may remove listed loops without touching this file. */
const OWNED_ELSEWHERE = ['attention/', 'matmul/'];

function fixedLoopsByKey(): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (const [path, code] of Object.entries(SHADERS)) {
    const file = path.replace(/^.*\/shaders\//, '');
    for (const loop of fixedTripLoops(code)) {
      const key = `${file} | ${loop.header.split(';')[1].trim()}`;
      found.set(key, [...(found.get(key) ?? []), loop.line]);
    }
  }
  return found;
}

describe('build-time loop bounds in every shader (what lazy LLVM drivers unroll)', () => {
  const found = fixedLoopsByKey();

  it('reads every shader in shaders/', () => {
    const onDisk = readdirSync('shaders', { recursive: true }).filter((f) => String(f).endsWith('.wgsl'));
    expect(Object.keys(SHADERS).length).toBe(onDisk.length);
  });

  it('has no build-time-bounded loop outside the allow-list', () => {
    const unlisted = [...found].filter(([key]) => !(key in ALLOWED)).map(([key, lines]) => `${key} (line ${lines})`);
    expect(unlisted).toEqual([]);
  });

  it('lists no loop that is gone (outside the directories owned elsewhere)', () => {
    const stale = Object.keys(ALLOWED).filter((k) => !found.has(k) && !OWNED_ELSEWHERE.some((d) => k.startsWith(d)));
    expect(stale).toEqual([]);
  });
});
