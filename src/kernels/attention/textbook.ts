import pvWgsl from '../../../shaders/attention/pv.wgsl?raw';
import scoresWgsl from '../../../shaders/attention/scores.wgsl?raw';
import oneReadWgsl from '../../../shaders/attention/softmax_one_read.wgsl?raw';
import { createStorageBuffer, destroyAll, readFloat32 } from '../../gpu/buffers';
import { createCounters } from '../../gpu/counters';
import { bindGroup, grid1d, runSteps, type DispatchStep } from '../../gpu/dispatch';
import { LimitError } from '../../gpu/errors';
import type { GpuRuntime } from '../../gpu/runtime';
import { specialise, type KernelSource } from '../specialise';
import type { PreparedKernel, PrepareOptions } from '../types';
import { oneReadSoftmaxShape, textbookCost, textbookTiles } from './cost';
import { standardPeakBytes, standardRefusal } from './memory';
import type { AttentionShape } from './shape';

/** Q, K, V and the params uniform, as createAttentionInputs (host.ts) makes them. */
export interface TextbookInputs {
  shape: AttentionShape;
  q: GPUBuffer;
  k: GPUBuffer;
  v: GPUBuffer;
  params: GPUBuffer;
  /** Only f32 is read here; f16-stored inputs (the tiled kernel's f16 build) are refused. */
  storage?: 'f32' | 'f16';
}

export interface PreparedTextbook extends PreparedKernel {
  runOnce(): Promise<void>;
}

/** The three kernels of the textbook path, specialised for N and d (tiles as override constants). */
export function textbookSources(s: Pick<AttentionShape, 'n' | 'd'>): {
  scores: KernelSource;
  softmax: KernelSource;
  pv: KernelSource;
} {
  const t = textbookTiles(s.d);
  const sm = oneReadSoftmaxShape(s.n);
  return {
    scores: { code: scoresWgsl, label: `attention/textbook-scores-t${t.scores}`, constants: { TILE: t.scores } },
    softmax: {
      code: oneReadWgsl,
      label: 'attention/softmax-one-read',
      constants: { WG: sm.wg },
      arraySizes: { PER: sm.per },
    },
    pv: { code: pvWgsl, label: `attention/textbook-pv-t${t.pv}`, constants: { TILE: t.pv } },
  };
}

/**
 * Textbook unfused attention (Dao et al. 2022, Algorithm 0), the honest baseline for the tiled
 * path: S = scale·Q·Kᵀ through a 64×64-tile register-blocked matmul, a softmax that reads each
 * score once (registers, not three sweeps of global memory), and P·V through the same tiled matmul.
 * Three dispatches; S and P are N×N per head in global memory, which is what the tiled path avoids.
 */
export async function prepareTextbook(
  rt: GpuRuntime,
  inputs: TextbookInputs,
  opts: PrepareOptions = {},
): Promise<PreparedTextbook> {
  const { device } = rt;
  const s = inputs.shape;
  if (inputs.storage === 'f16') throw new RangeError('attention: the textbook path reads f32 Q, K and V, not f16.');
  const refusal = standardRefusal(s, rt.info.limits);
  if (refusal) throw new LimitError(refusal);
  const t = textbookTiles(s.d);
  const sm = oneReadSoftmaxShape(s.n);
  if (sm.wg > rt.info.limits.maxComputeInvocationsPerWorkgroup) {
    throw new LimitError(
      `The one-read softmax needs ${sm.wg} invocations per workgroup; this device allows ${rt.info.limits.maxComputeInvocationsPerWorkgroup}.`,
    );
  }
  const instrumented = Boolean(opts.instrumented);
  const owned: GPUBuffer[] = [];
  try {
    const sBuf = await createStorageBuffer(device, s.bh * s.n * s.n * 4, 'attention-textbook-scores');
    owned.push(sBuf);
    const pBuf = await createStorageBuffer(device, s.bh * s.n * s.n * 4, 'attention-textbook-probs');
    owned.push(pBuf);
    const out = await createStorageBuffer(device, s.bh * s.n * s.d * 4, 'attention-textbook-out');
    owned.push(out);
    const src = textbookSources(s);
    const [scores, softmax, pv] = await Promise.all(
      [src.scores, src.softmax, src.pv].map((k) => rt.pipelines.compute(specialise(k, { instrumented }))),
    );
    const scoreTiles = Math.ceil(s.n / t.scores);
    const steps: DispatchStep[] = [
      {
        pipeline: scores,
        bindGroups: [bindGroup(device, scores, [inputs.params, inputs.q, inputs.k, sBuf])],
        workgroups: [scoreTiles, scoreTiles, s.bh],
        label: 'textbook scores',
      },
      {
        pipeline: softmax,
        bindGroups: [bindGroup(device, softmax, [inputs.params, sBuf, pBuf])],
        workgroups: grid1d(s.bh * s.n, device.limits.maxComputeWorkgroupsPerDimension),
        label: 'textbook softmax',
      },
      {
        pipeline: pv,
        bindGroups: [bindGroup(device, pv, [inputs.params, pBuf, inputs.v, out])],
        workgroups: [s.d / t.pv, Math.ceil(s.n / t.pv), s.bh],
        label: 'textbook pv',
      },
    ];
    // One counter buffer for the three passes; each auto layout needs its own bind group.
    const counters = await createCounters(device, instrumented, 'attention/textbook counters');
    owned.push(counters.buffer);
    for (const step of steps) step.bindGroups[1] = counters.bind(step.pipeline);
    return {
      steps,
      cost: textbookCost(s),
      allocatedBytes: standardPeakBytes(s),
      counters,
      read: () => readFloat32(device, out, s.bh * s.n * s.d),
      runOnce: () => runSteps(device, steps, 'attention-textbook'),
      dispose: () => destroyAll(owned),
    };
  } catch (e) {
    destroyAll(owned);
    throw e;
  }
}
