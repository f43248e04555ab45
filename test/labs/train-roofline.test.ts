import { describe, expect, it } from 'vitest';
import { stepPoints } from '../../src/labs/train/StepRoofline';
import type { StepCost, StepTiming } from '../../src/model/train/backend';

describe('the training step on the roofline', () => {
  it('one point per timed kernel group and one for the whole step, from the cost model and the timestamps', () => {
    const c = (flops: number, bytes: number) => ({ flops, bytesRead: bytes / 2, bytesWritten: bytes / 2 });
    const cost: StepCost = {
      matmul: c(8e6, 1e6),
      attention: c(1e6, 4e5),
      norms: c(2e4, 2e5),
      elementwise: c(3e4, 6e5),
      optimizer: c(5e5, 1e6),
    };
    const timing: StepTiming = {
      matmul: 2,
      attention: 0.5,
      norms: 0,
      elementwise: 0.3,
      optimizer: 0.2,
      data: 9,
      source: 'timestamp',
    };
    const pts = stepPoints(cost, timing, 'B·T = 16·16', 'swiftshader');
    // norms took no measurable time: no point for it (a zero time has no place on the chart).
    expect(pts.map((p) => p.variant)).toEqual([
      'matmuls',
      'attention',
      'embeddings, GELU, loss',
      'optimizer',
      'whole step',
    ]);
    const whole = pts.at(-1)!;
    // The whole step sums every group's FLOPs and bytes over its kernels' time; data wait is not GPU time.
    expect(whole).toMatchObject({ flops: 8e6 + 1e6 + 2e4 + 3e4 + 5e5, bytes: 3.2e6, ms: 3 });
    expect(pts[0]).toMatchObject({ lab: 'train', flops: 8e6, bytes: 1e6, ms: 2, adapter: 'swiftshader' });
  });
});
