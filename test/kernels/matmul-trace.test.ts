import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import { BANKS, decodeEvent, subgroupAccesses, summarizeAccesses } from '../../src/kernels/matmul/access';
import { matmulCost } from '../../src/kernels/matmul/cost';
import { prepareMatmul } from '../../src/kernels/matmul/host';
import { matmulReference, seededMatrix } from '../../src/kernels/matmul/reference';
import { traceMatmul } from '../../src/kernels/matmul/trace';
import { encodeEvent, modelTrace, traceSteps, traceTiles } from '../../src/kernels/matmul/traceModel';
import { transposedPad, type MatmulDims } from '../../src/kernels/matmul/types';
import { workgroupBytes } from '../../src/kernels/matmul/workgroup';
import { compareOutputs } from '../../src/kernels/check';
import { LADDER } from '../../src/labs/tiling/ladder';
import { testRuntime } from '../helpers/gpu';

const square: MatmulDims = { M: 128, N: 128, K: 64 };
const ragged: MatmulDims = { M: 70, N: 67, K: 45 };

describe('access traces on Dawn equal the CPU model on every ladder rung', () => {
  for (const r of LADDER) {
    it(`${r.label}: the GPU's addresses equal the model's, interior and ragged last tile, and the rung computes C with counted bytes = model`, async () => {
      const rt = await testRuntime();
      // Each trace point is its own pipeline (override constants), which SwiftShader compiles
      // slowly: an interior tile of a square problem and the ragged corner of a ragged one.
      const t = traceTiles(r.variant, ragged, r.shape);
      const cases: [MatmulDims, { tm: number; tn: number; step: number }][] = [
        [square, { tm: 0, tn: 1 % traceTiles(r.variant, square, r.shape).cols, step: 1 }],
        [ragged, { tm: t.rows - 1, tn: t.cols - 1, step: traceSteps(r.variant, ragged, r.shape) - 1 }],
      ];
      {
        for (const [dims, point] of cases) {
          const gpu = await traceMatmul(rt, r.variant, dims, r.shape, point);
          expect(gpu.truncated).toBe(false);
          const model = modelTrace(r.variant, dims, r.shape, point);
          expect(gpu.events.flat().length).toBeGreaterThan(0);
          expect(gpu.events).toEqual(model);
        }
      }
      const a = seededMatrix(ragged.M * ragged.K, 3);
      const b = seededMatrix(ragged.K * ragged.N, 4);
      const k = await prepareMatmul(rt, r.variant, ragged, r.shape, { instrumented: true, inputs: { a, b } });
      try {
        k.counters.reset();
        await runSteps(rt.device, k.steps);
        expect(compareOutputs(await k.read(), matmulReference(a, b, ragged)).error).toBeLessThan(1e-5);
        const cost = matmulCost(r.variant, ragged, r.shape);
        expect(await k.counters.read()).toEqual({ bytesRead: cost.bytesRead, bytesWritten: cost.bytesWritten });
      } finally {
        k.dispose();
      }
    }, 300_000);
  }

  it('transposed B: the traced B addresses follow the N×K layout (tiled and register-blocked)', async () => {
    const rt = await testRuntime();
    const dims: MatmulDims = { M: 64, N: 64, K: 32, transposeB: true };
    for (const r of LADDER.filter((x) => x.id === 'tiled' || x.id === '2d')) {
      const point = { tm: 0, tn: 0, step: 1 };
      expect((await traceMatmul(rt, r.variant, dims, r.shape, point)).events).toEqual(
        modelTrace(r.variant, dims, r.shape, point),
      );
    }
  }, 300_000);
});

describe('what the traces teach (CPU model, 256³, subgroups of 32)', () => {
  const dims: MatmulDims = { M: 256, N: 256, K: 256 };
  const summary = (id: string, width = 32) => {
    const r = LADDER.find((x) => x.id === id)!;
    return summarizeAccesses(subgroupAccesses(modelTrace(r.variant, dims, r.shape, { tm: 1, tn: 1, step: 1 }), width));
  };
  it('the column-major walk touches 16 segments per A read where the coalesced walk touches 2', () => {
    const col = summary('naive-colmajor');
    const row = summary('naive');
    expect(col.segments).toBe(128 * 16 + 128 * 1);
    expect(row.segments).toBe(128 * 2 + 128 * 1);
    expect(col.idealSegments).toBe(row.idealSegments);
  });
  it('the transposed A tile stores 16-way conflicted; a pad of 2 words makes every access one pass', () => {
    const t = summary('transposed');
    const p = summary('padded');
    // 1024 A elements / 32 lanes = 32 subgroup stores per step, each 16 passes where 1 would do.
    expect(t.bankPasses - t.idealPasses).toBe(32 * 15);
    expect(p.bankPasses).toBe(p.idealPasses);
    expect(p.conflictsPerAccess).toBe(0);
    expect(summary('2d').conflictsPerAccess).toBe(0);
    expect(transposedPad('transposed-a-padded', { tileM: 64, tileK: 16 })).toBe(2);
    expect(workgroupBytes('transposed-a-padded', { tileM: 64, tileN: 64, tileK: 16, blockM: 4, blockN: 4 })).toBe(
      (66 * 16 + 16 * 64) * 4,
    );
  });
  it('the transposed stores fall in two banks, 16 words each (not all in one bank)', () => {
    const r = LADDER.find((x) => x.id === 'transposed')!;
    const trace = modelTrace(r.variant, dims, r.shape, { tm: 0, tn: 0, step: 0 });
    const store = subgroupAccesses(trace, 32).find((a) => a.space === 3)!;
    const banks = trace.slice(0, 32).map((l) => decodeEvent(l[store.index])!.word % BANKS);
    expect(new Set(banks).size).toBe(2);
    expect(store.cost).toBe(16);
    expect(r.lesson).toContain('two banks');
  });
  it('16-byte accesses are served in quarter-warp phases: the vec4 rung is conflict-free at 4 passes per access', () => {
    const v = summary('vec4');
    // Counted as one 32-lane request this was 0.62 extra passes per access: an artefact of the model.
    expect(v.conflictsPerAccess).toBe(0);
    expect(v.bankPasses).toBe(4 * v.sharedAccesses);
    const vec4 = (word: number) => [encodeEvent(3, word, true)];
    // Lane i reads words 4i..4i+3: each 8-lane phase covers the 32 banks once, 4 passes in all.
    const dense = subgroupAccesses(
      Array.from({ length: 32 }, (_, i) => vec4(4 * i)),
      32,
    )[0];
    expect([dense.cost, dense.ideal]).toEqual([4, 4]);
    // Lane i reads words 8i..8i+3: within a phase lanes i and i + 4 share banks, 2 passes per phase.
    const strided = subgroupAccesses(
      Array.from({ length: 32 }, (_, i) => vec4(8 * i)),
      32,
    )[0];
    expect([strided.cost, strided.ideal]).toEqual([8, 4]);
    // Every lane reading the same 16 bytes is a broadcast, yet each phase still takes a pass.
    const same = subgroupAccesses(
      Array.from({ length: 32 }, () => vec4(0)),
      32,
    )[0];
    expect([same.cost, same.ideal]).toEqual([4, 4]);
    // Scalar accesses stay one 32-lane request: the same broadcast is one pass.
    const scalar = subgroupAccesses(
      Array.from({ length: 32 }, () => [encodeEvent(3, 0, false)]),
      32,
    )[0];
    expect([scalar.cost, scalar.ideal]).toEqual([1, 1]);
  });
  it('a subgroup of 16 (half a warp) sees the coalesced walk as one segment per A read', () => {
    expect(summary('naive', 16).segments).toBe(256 * 1 + 256 * 1);
  });
});
