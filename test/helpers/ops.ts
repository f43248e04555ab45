import { expect } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import { compareOutputs } from '../../src/kernels/check';
import type { PreparedOp } from '../../src/kernels/op';

/** The output slot against its float64 reference by the one check metric (src/kernels/check.ts). */
export async function expectSlot<B extends string>(
  k: PreparedOp<B>,
  name: B,
  want: ArrayLike<number>,
  tolerance: number,
): Promise<Float32Array> {
  const got = await k.readSlot(name, want.length);
  const c = compareOutputs(got, want);
  expect(c.error, `${k.op.label} ${name}: worst at ${c.index} got ${c.got} want ${c.want}`).toBeLessThanOrEqual(
    tolerance,
  );
  return got;
}

/** Runs the op once with zeroed counters and holds the counts to its cost model exactly. */
export async function expectCountsEqualCost<B extends string>(device: GPUDevice, k: PreparedOp<B>): Promise<void> {
  k.counters.reset();
  await runSteps(device, k.steps);
  expect(await k.counters.read()).toEqual({ bytesRead: k.cost.bytesRead, bytesWritten: k.cost.bytesWritten });
}

/** Runs the op and returns the raw bits of a slot: for determinism checks (same inputs, same bits). */
export async function slotBits<B extends string>(device: GPUDevice, k: PreparedOp<B>, name: B): Promise<number[]> {
  await runSteps(device, k.steps);
  return Array.from(new Uint32Array((await k.readSlot(name)).buffer));
}
