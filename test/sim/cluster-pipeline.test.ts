import { describe, expect, it } from 'vitest';
import { pipelineProblems, pipelineSchedule } from '../../src/sim/cluster';

describe('pipeline schedules', () => {
  const cases = [
    [2, 1],
    [4, 4],
    [4, 8],
    [8, 8],
    [8, 32],
    [3, 7],
  ];
  it('GPipe and 1F1B idle (p−1)/(m+p−1) of the time: bubble (p−1)/m of ideal (Narayanan et al. 2021 §2.2.1)', () => {
    for (const [p, m] of cases) {
      for (const schedule of ['gpipe', '1f1b'] as const) {
        const t = pipelineSchedule({ stages: p, microbatches: m, schedule });
        expect(t.idleFraction).toBeCloseTo((p - 1) / (m + p - 1), 12);
        expect(t.bubbleRelative).toBeCloseTo((p - 1) / m, 12);
        expect(t.events).toHaveLength(2 * p * m);
      }
    }
  });

  it('interleaved 1F1B shrinks the bubble to (1/v)·(p−1)/m (Narayanan et al. 2021 §2.2.2)', () => {
    for (const [p, m, v] of [
      [2, 4, 2],
      [4, 8, 2],
      [4, 12, 3],
      [8, 16, 2],
      [4, 16, 4],
    ]) {
      const t = pipelineSchedule({ stages: p, microbatches: m, schedule: 'interleaved', chunks: v });
      expect(t.bubbleRelative).toBeCloseTo((p - 1) / (v * m), 9);
      expect(t.idleFraction).toBeCloseTo((p - 1) / (v * m + p - 1), 9);
      expect(t.events).toHaveLength(2 * p * m * v);
    }
  });

  it('respects dependencies: a forward follows the previous stage’s, a backward the next stage’s', () => {
    const t = pipelineSchedule({ stages: 4, microbatches: 8, schedule: 'interleaved', chunks: 2 });
    const end = new Map(t.events.map((e) => [`${e.kind}${e.chunk * 4 + e.stage}:${e.microbatch}`, e.end]));
    for (const e of t.events) {
      const j = e.chunk * 4 + e.stage;
      const dep =
        e.kind === 'F'
          ? j > 0
            ? end.get(`F${j - 1}:${e.microbatch}`)
            : 0
          : j < 7
            ? end.get(`B${j + 1}:${e.microbatch}`)
            : end.get(`F7:${e.microbatch}`);
      expect(e.start).toBeGreaterThanOrEqual(dep!);
    }
    // No GPU runs two things at once.
    for (let s = 0; s < 4; s++) {
      const mine = t.events.filter((e) => e.stage === s).sort((a, b) => a.start - b.start);
      for (let i = 1; i < mine.length; i++) expect(mine[i].start).toBeGreaterThanOrEqual(mine[i - 1].end - 1e-12);
    }
  });

  it('1F1B keeps at most p micro-batches in flight where GPipe keeps all m', () => {
    expect(pipelineSchedule({ stages: 4, microbatches: 16, schedule: '1f1b' }).peakInFlight).toEqual([4, 3, 2, 1]);
    expect(pipelineSchedule({ stages: 4, microbatches: 16, schedule: 'gpipe' }).peakInFlight).toEqual([16, 16, 16, 16]);
  });

  it('explains options it cannot schedule instead of throwing deep inside', () => {
    expect(pipelineProblems({ stages: 4, microbatches: 6, schedule: 'interleaved', chunks: 2 })[0]).toMatch(
      /multiple of stages/,
    );
    expect(() => pipelineSchedule({ stages: 0, microbatches: 4, schedule: 'gpipe' })).toThrow(/stages/);
  });
});
