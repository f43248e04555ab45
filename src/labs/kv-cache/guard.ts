import { fmtRatio } from '../../ui/format';
import { SOFTWARE_ADAPTER } from '../../ui/GuardNote';

/**
 * The lesson: PagedAttention's block-table indirection costs little, so the paged kernel runs
 * within 1.5× of the contiguous one (vLLM reports a few percent to about 20 % on the kernel).
 * Disagreement: paged / contiguous above 1.5×. Null when it agrees.
 */
export function kvCacheGuard(m: {
  pagedMs: number;
  contiguousMs: number;
  contextTokens: number;
  software: boolean;
}): string | null {
  if (!(m.pagedMs > 0) || !(m.contiguousMs > 0)) return null;
  const ratio = m.pagedMs / m.contiguousMs;
  if (ratio <= 1.5) return null;
  const what = `the paged kernel took ${fmtRatio(ratio)} the contiguous kernel’s time, above the 1.5× the lesson expects.`;
  const cap = what[0].toUpperCase() + what.slice(1);
  if (m.software)
    return `${cap} ${SOFTWARE_ADAPTER} Each block-table lookup is a dependent load the CPU cannot hide, and scattered blocks defeat its prefetcher; a GPU hides the lookups behind other warps.`;
  if (m.contextTokens < 4096)
    return `${cap} With only ${m.contextTokens} cached tokens the kernels last microseconds, so the table reads and launch overhead weigh more than the K/V streaming the lesson is about; a longer context evens it out.`;
  return `${cap} The blocks of this batch may be scattered widely in the pool on this GPU; a larger block size makes each lookup serve more tokens.`;
}
