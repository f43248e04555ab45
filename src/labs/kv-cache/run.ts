import { errorMessage } from '../../gpu/errors';
import type { LabRunContext } from '../../labkit/contract';
import { runKernelPart, type KvKernelPart } from './kernelPart';
import { batchCapturer, runSimPart, type KvParams, type KvSimPart } from './simPart';

export interface KvLabResult extends KvSimPart {
  /** Null without WebGPU (a scenario recording may fill it in) or when the kernel could not run. */
  kernel: KvKernelPart | null;
  kernelNote: string | null;
}

/** Simulates both allocators (no GPU needed), then times the real kernels on a batch from the paged run. */
export async function runKvCacheLab(ctx: LabRunContext, p: KvParams): Promise<KvLabResult> {
  ctx.progress(0.05, 'simulating paged and contiguous memory');
  // Let the progress text paint before the synchronous simulation.
  await new Promise((r) => setTimeout(r, 0));
  const capture = batchCapturer();
  const sim = runSimPart(p, capture.hook);
  if (ctx.signal.aborted) throw new DOMException('Cancelled', 'AbortError');
  const batch = capture.best();
  // No note without WebGPU: a scenario's recording may supply the kernel part, and the view explains its absence.
  if (!ctx.runtime) return { ...sim, kernel: null, kernelNote: null };
  if (!batch || !batch.seqLens.length)
    return { ...sim, kernel: null, kernelNote: 'The paged run had no decoding batch to time.' };
  ctx.progress(0.5, `timing paged vs contiguous attention on ${batch.seqLens.length} sequences`);
  try {
    const kernel = await runKernelPart(ctx.runtime, batch, p.blockSize, ctx.signal);
    ctx.progress(1, 'done');
    return { ...sim, kernel, kernelNote: null };
  } catch (e) {
    if ((e as { name?: string })?.name === 'AbortError') throw e;
    // The simulation stands on its own; say why the kernel part is missing.
    return { ...sim, kernel: null, kernelNote: `Kernel not run: ${errorMessage(e)}` };
  }
}
