import addWgsl from '../../../shaders/overhead/add.wgsl?raw';
import { createStorageBuffer, readFloat32 } from '../../gpu/buffers';
import { createCounters } from '../../gpu/counters';
import { bindGroup } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import { median, spread } from '../../gpu/timing';
import { specialise } from '../specialise';

/**
 * Launch overhead, measured: the same K additions of 1.0 to a small vector issued four ways.
 *   submits     K command buffers, one pass and one dispatch each, each submitted on its own
 *               (what an eager framework does per op when nothing batches its launches)
 *   passes      one command buffer holding K compute passes of one dispatch each
 *   dispatches  one compute pass with K dispatches
 *   fused       one dispatch doing all K additions (a fused kernel)
 * All four compute the same result (x + K, checked). The work per dispatch is a few thousand
 * additions, so time beyond the fused dispatch is launch cost: (T − T_fused) / (K − 1) per extra
 * launch. Timed by wall clock around submit and completion, because the CPU side of a launch
 * (encoding, validation, submission) is part of the cost and GPU timestamps would not see it.
 */
export const OVERHEAD_REGIMES = ['submits', 'passes', 'dispatches', 'fused'] as const;
export type OverheadRegime = (typeof OVERHEAD_REGIMES)[number];

export const REGIME_LABELS: Record<OverheadRegime, string> = {
  submits: 'K submits (one dispatch each)',
  passes: 'one command buffer, K passes',
  dispatches: 'one pass, K dispatches',
  fused: 'one fused dispatch',
};

export interface OverheadParams {
  /** Floats in the vector (small: the work must not matter). */
  n: number;
  /** Operations (dispatches in the unfused regimes). */
  k: number;
  samples: number;
}

export const DEFAULT_OVERHEAD: OverheadParams = { n: 4096, k: 256, samples: 7 };

export interface OverheadRow {
  regime: OverheadRegime;
  label: string;
  medianMs: number;
  spreadMs: number;
  /** Dispatches issued per run: K, or 1 fused. */
  dispatches: number;
  /** (T − T_fused) / (K − 1) in µs: what each extra launch costs; null for the fused row. */
  perLaunchUs: number | null;
  /** max |x − (x0 + K)| after one run: every regime must add exactly K. */
  error: number;
}

export interface OverheadResult {
  params: OverheadParams;
  rows: OverheadRow[];
  timing: 'wallclock';
}

const WG = 64;

export function checkOverheadParams(p: OverheadParams): void {
  if (!Number.isInteger(p.n) || p.n < 1 || p.n > 1 << 20)
    throw new RangeError(`Vector length must be a whole number from 1 to ${1 << 20} (got ${p.n}).`);
  if (!Number.isInteger(p.k) || p.k < 2 || p.k > 4096)
    throw new RangeError(`K must be a whole number from 2 to 4096 (got ${p.k}).`);
  if (!Number.isInteger(p.samples) || p.samples < 1)
    throw new RangeError(`Samples must be at least 1 (got ${p.samples}).`);
}

/** Times the four regimes, interleaved per sample so load changes hit all of them alike. */
export async function measureOverhead(
  rt: GpuRuntime,
  p: OverheadParams = DEFAULT_OVERHEAD,
  signal?: AbortSignal,
): Promise<OverheadResult> {
  checkOverheadParams(p);
  const { device } = rt;
  const x0 = new Float32Array(p.n).map((_, i) => (i % 13) * 0.5);
  const buf = await createStorageBuffer(device, x0, 'overhead-x');
  const counters = await createCounters(device, false, 'overhead counters');
  try {
    const [one, fused] = await Promise.all(
      [1, p.k].map((adds) =>
        rt.pipelines.compute(
          specialise({ code: addWgsl, label: `overhead/add${adds}`, constants: { WG, ADDS: adds } }),
        ),
      ),
    );
    const groups = Math.ceil(p.n / WG);
    const bind = (pl: GPUComputePipeline) => [bindGroup(device, pl, [buf]), counters.bind(pl)];
    const oneGroups = bind(one);
    const fusedGroups = bind(fused);
    const dispatch = (pass: GPUComputePassEncoder, pl: GPUComputePipeline, groupsOf: GPUBindGroup[]) => {
      pass.setPipeline(pl);
      groupsOf.forEach((g, i) => pass.setBindGroup(i, g));
      pass.dispatchWorkgroups(groups);
    };
    const issue: Record<OverheadRegime, () => void> = {
      submits() {
        for (let i = 0; i < p.k; i++) {
          const enc = device.createCommandEncoder();
          const pass = enc.beginComputePass();
          dispatch(pass, one, oneGroups);
          pass.end();
          device.queue.submit([enc.finish()]);
        }
      },
      passes() {
        const enc = device.createCommandEncoder();
        for (let i = 0; i < p.k; i++) {
          const pass = enc.beginComputePass();
          dispatch(pass, one, oneGroups);
          pass.end();
        }
        device.queue.submit([enc.finish()]);
      },
      dispatches() {
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        for (let i = 0; i < p.k; i++) dispatch(pass, one, oneGroups);
        pass.end();
        device.queue.submit([enc.finish()]);
      },
      fused() {
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        dispatch(pass, fused, fusedGroups);
        pass.end();
        device.queue.submit([enc.finish()]);
      },
    };
    const errors = {} as Record<OverheadRegime, number>;
    for (const r of OVERHEAD_REGIMES) {
      device.queue.writeBuffer(buf, 0, x0);
      issue[r]();
      const got = await readFloat32(device, buf, p.n);
      let e = 0;
      for (let i = 0; i < p.n; i++) e = Math.max(e, Math.abs(got[i] - (x0[i] + p.k)));
      errors[r] = Number.isNaN(e) ? Infinity : e;
      if (errors[r] > 0) throw new Error(`overhead/${r}: x should be x0 + ${p.k} everywhere, differs by ${errors[r]}.`);
    }
    const samples: Record<OverheadRegime, number[]> = { submits: [], passes: [], dispatches: [], fused: [] };
    // One untimed round warms every path (pipeline caches, driver allocations).
    for (let s = -1; s < p.samples; s++) {
      for (const [j] of OVERHEAD_REGIMES.entries()) {
        if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
        const r = OVERHEAD_REGIMES[(j + Math.max(0, s)) % OVERHEAD_REGIMES.length];
        await device.queue.onSubmittedWorkDone();
        const t0 = performance.now();
        issue[r]();
        await device.queue.onSubmittedWorkDone();
        if (s >= 0) samples[r].push(performance.now() - t0);
      }
    }
    const fusedMs = median(samples.fused);
    const rows = OVERHEAD_REGIMES.map((r): OverheadRow => {
      const ms = median(samples[r]);
      return {
        regime: r,
        label: REGIME_LABELS[r],
        medianMs: ms,
        spreadMs: spread(samples[r]),
        dispatches: r === 'fused' ? 1 : p.k,
        perLaunchUs: r === 'fused' ? null : ((ms - fusedMs) / (p.k - 1)) * 1000,
        error: errors[r],
      };
    });
    return { params: p, rows, timing: 'wallclock' };
  } finally {
    buf.destroy();
    counters.buffer.destroy();
  }
}
