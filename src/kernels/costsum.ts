import type { KernelCost } from './types';

/** The cost of several dispatches run one after another (pure). */
export function addCosts(...costs: KernelCost[]): KernelCost {
  return costs.reduce(
    (a, c) => ({
      flops: a.flops + c.flops,
      bytesRead: a.bytesRead + c.bytesRead,
      bytesWritten: a.bytesWritten + c.bytesWritten,
    }),
    {
      flops: 0,
      bytesRead: 0,
      bytesWritten: 0,
    },
  );
}
