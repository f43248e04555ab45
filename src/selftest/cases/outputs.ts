import { compareOutputs } from '../../kernels/check';
import type { PreparedOp } from '../../kernels/op';
import type { OutputCheck, PreparedCase } from '../types';

/** The check metric of each named slot of an op against its float64 reference. */
export async function slotChecks<B extends string>(
  k: PreparedOp<B>,
  wants: Partial<Record<B, ArrayLike<number>>>,
): Promise<OutputCheck[]> {
  const out: OutputCheck[] = [];
  for (const [name, want] of Object.entries(wants) as [B, ArrayLike<number>][]) {
    const got = await k.readSlot(name, want.length);
    out.push({ name, check: compareOutputs(got, want) });
  }
  return out;
}

/** A PreparedOp as a self-test case: its steps, the named slots compared, disposal. */
export function opCase<B extends string>(k: PreparedOp<B>, wants: Partial<Record<B, ArrayLike<number>>>): PreparedCase {
  return { steps: k.steps, outputs: () => slotChecks(k, wants), dispose: () => k.dispose() };
}

/** Frees what a prepare made so far when a later step of it throws. */
export async function guarded<T>(dispose: () => void, make: () => Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (e) {
    dispose();
    throw e;
  }
}
