import { createStorageBuffer, createUniformBuffer, destroyAll } from '../../gpu/buffers';
import { grid1d } from '../../gpu/dispatch';
import type { GpuRuntime } from '../../gpu/runtime';
import { matmulCost } from '../matmul/cost';
import { matmulSource } from '../matmul/source';
import type { MatmulDims, TileShape } from '../matmul/types';
import { checkShape } from '../matmul/workgroup';
import { checkBinding, checkGrid } from '../limits';
import { makeOp, opCounters, type GpuOp, type OpStep } from '../op';
import { specialise } from '../specialise';
import type { PrepareOptions } from '../types';
import {
  addBiasCost,
  biasGradCost,
  COLUMN_CHUNK,
  columnChunks,
  LINEAR_SHAPE,
  linearBackwardCost,
  linearBackwardDims,
} from './cost';
import { ADD_BIAS_WG, BIAS_GRAD_WG, checkBiasKernels, checkLinear, type LinearDims } from './limits';
import { linearSource } from './source';

export interface LinearOptions extends PrepareOptions {
  /** Register-blocked tile (default LINEAR_SHAPE, 64×64 with 4×4 per invocation). */
  shape?: TileShape;
}

/** One register-blocked product step on named slots, and what it costs. */
async function matmulStep<B extends string>(
  rt: GpuRuntime,
  dims: MatmulDims,
  slots: [B, B, B],
  shape: TileShape,
  opts: PrepareOptions,
  owned: GPUBuffer[],
): Promise<OpStep<B>> {
  const limits = rt.device.limits;
  checkShape('register-blocked', shape, limits);
  checkBinding('matmul', 'A', dims.M * dims.K, limits);
  checkBinding('matmul', 'B', dims.K * dims.N, limits);
  checkBinding('matmul', 'C', dims.M * dims.N, limits);
  const grid: [number, number] = [Math.ceil(dims.N / shape.tileN), Math.ceil(dims.M / shape.tileM)];
  checkGrid('matmul', grid[0], grid[1], limits);
  const pipeline = await rt.pipelines.compute(
    specialise(
      matmulSource('register-blocked', shape, {
        transposeA: dims.transposeA,
        transposeB: dims.transposeB,
        accumulate: dims.accumulate,
      }),
      opts,
    ),
  );
  const u = createUniformBuffer(rt.device, [dims.M, dims.N, dims.K, 0], 'linear-matmul-dims');
  owned.push(u);
  const what = `${dims.transposeA ? 'Aᵀ' : 'A'}·${dims.transposeB ? 'Bᵀ' : 'B'}${dims.accumulate ? ' (+=)' : ''}`;
  return {
    pipeline,
    bindings: [slots[0], slots[1], slots[2], u],
    workgroups: grid,
    label: `matmul ${what} ${dims.M}×${dims.N}×${dims.K}`,
  };
}

export type MatmulSlots = 'a' | 'b' | 'c';

/**
 * C = op(A)·op(B) (or C += … with `accumulate`) with the register-blocked kernel, on caller
 * buffers: the forward product X·W, the tied head H·wteᵀ (transposeB), or any backward product.
 */
export async function createMatmulOp(
  rt: GpuRuntime,
  dims: MatmulDims,
  opts: LinearOptions = {},
): Promise<GpuOp<MatmulSlots>> {
  checkLinear({ M: dims.M, K: dims.K, N: dims.N }, rt.device.limits);
  const owned: GPUBuffer[] = [];
  const shape = opts.shape ?? LINEAR_SHAPE;
  const step = await matmulStep<MatmulSlots>(rt, dims, ['a', 'b', 'c'], shape, opts, owned);
  return makeOp(rt, {
    label: 'linear/matmul',
    cost: matmulCost('register-blocked', dims, shape),
    counters: await opCounters(rt, 'linear/matmul', opts),
    owned,
    steps: [step],
  });
}

/**
 * The steps of a column sum out[c] = Σ_r input[r][c] (shaders/linear/bias_grad.wgsl): one pass
 * when rows ≤ COLUMN_CHUNK, else chunk partials into an op-owned buffer and a second pass over
 * them. Uniforms and the partial buffer go to `owned`. Shared with the LayerNorm backward.
 */
export async function columnSumSteps<B extends string>(
  rt: GpuRuntime,
  rows: number,
  cols: number,
  input: B | GPUBuffer,
  output: B | GPUBuffer,
  opts: PrepareOptions,
  owned: GPUBuffer[],
  label = 'column sum',
): Promise<OpStep<B>[]> {
  checkBiasKernels(rows, cols, rt.device.limits);
  const chunks = columnChunks(rows);
  checkGrid('column sum', Math.ceil(cols / BIAS_GRAD_WG), chunks, rt.device.limits);
  const pipeline = await rt.pipelines.compute(specialise(linearSource('bias_grad'), opts));
  const groups = Math.ceil(cols / BIAS_GRAD_WG);
  if (chunks === 1) {
    const p = createUniformBuffer(rt.device, [rows, cols, rows], 'column-sum-params');
    owned.push(p);
    return [{ pipeline, bindings: [p, input, output], workgroups: [groups], label }];
  }
  const p1 = createUniformBuffer(rt.device, [rows, cols, COLUMN_CHUNK], 'column-sum-params');
  owned.push(p1);
  const p2 = createUniformBuffer(rt.device, [chunks, cols, chunks], 'column-sum-params');
  owned.push(p2);
  const partial = await createStorageBuffer(rt.device, chunks * cols * 4, 'column-sum-partials');
  owned.push(partial);
  return [
    { pipeline, bindings: [p1, input, partial], workgroups: [groups, chunks], label: `${label} (chunks)` },
    { pipeline, bindings: [p2, partial, output], workgroups: [groups], label: `${label} (partials)` },
  ];
}

export type BiasGradSlots = 'dy' | 'db';

/** db = column sums of dy [rows, cols]: one or two dispatches, deterministic. */
export async function createBiasGrad(
  rt: GpuRuntime,
  d: { rows: number; cols: number },
  opts: PrepareOptions = {},
): Promise<GpuOp<BiasGradSlots>> {
  const owned: GPUBuffer[] = [];
  try {
    const steps = await columnSumSteps<BiasGradSlots>(rt, d.rows, d.cols, 'dy', 'db', opts, owned, 'bias grad');
    return makeOp<BiasGradSlots>(rt, {
      label: 'linear/bias_grad',
      cost: biasGradCost(d.rows, d.cols),
      counters: await opCounters(rt, 'linear/bias_grad', opts),
      owned,
      steps,
    });
  } catch (e) {
    destroyAll(owned);
    throw e;
  }
}

export type AddBiasSlots = 'y' | 'bias';

/** y += bias (broadcast over rows), in place. */
export async function createAddBias(
  rt: GpuRuntime,
  d: { rows: number; cols: number },
  opts: PrepareOptions = {},
): Promise<GpuOp<AddBiasSlots>> {
  checkBiasKernels(d.rows, d.cols, rt.device.limits);
  const pipeline = await rt.pipelines.compute(specialise(linearSource('add_bias'), opts));
  const p = createUniformBuffer(rt.device, [d.rows, d.cols], 'linear-add-bias-params');
  return makeOp<AddBiasSlots>(rt, {
    label: 'linear/add_bias',
    cost: addBiasCost(d.rows, d.cols),
    counters: await opCounters(rt, 'linear/add_bias', opts),
    owned: [p],
    steps: [
      {
        pipeline,
        bindings: [p, 'y', 'bias'],
        workgroups: grid1d(
          Math.ceil((d.rows * d.cols) / ADD_BIAS_WG),
          rt.device.limits.maxComputeWorkgroupsPerDimension,
        ),
        label: 'add bias',
      },
    ],
  });
}

export type LinearBackwardSlots = 'dy' | 'x' | 'w' | 'dx' | 'dw' | 'db';

export interface LinearBackwardOptions extends LinearOptions {
  /** Also compute db (column sums of dY). */
  bias?: boolean;
  /** dX += dY·Wᵀ: add into a gradient that already holds another branch's part (the residual stream). */
  accumulateDx?: boolean;
  /** dW += Xᵀ·dY: gradient accumulation over micro-batches, or a tied weight's second use. */
  accumulateDw?: boolean;
}

/**
 * The backward of Y = X·W (+ b): dX = dY·Wᵀ, dW = Xᵀ·dY and, with `bias`, db = Σ_rows dY; two or
 * three dispatches on caller buffers.
 */
export async function createLinearBackward(
  rt: GpuRuntime,
  d: LinearDims,
  opts: LinearBackwardOptions & { bias: true },
): Promise<GpuOp<LinearBackwardSlots>>;
export async function createLinearBackward(
  rt: GpuRuntime,
  d: LinearDims,
  opts?: LinearBackwardOptions & { bias?: false },
): Promise<GpuOp<Exclude<LinearBackwardSlots, 'db'>>>;
export async function createLinearBackward(
  rt: GpuRuntime,
  d: LinearDims,
  opts: LinearBackwardOptions = {},
): Promise<GpuOp<LinearBackwardSlots>> {
  checkLinear(d, rt.device.limits);
  const shape = opts.shape ?? LINEAR_SHAPE;
  const dims = linearBackwardDims(d, opts);
  const owned: GPUBuffer[] = [];
  const steps: OpStep<LinearBackwardSlots>[] = [
    await matmulStep<LinearBackwardSlots>(rt, dims.dx, ['dy', 'w', 'dx'], shape, opts, owned),
    await matmulStep<LinearBackwardSlots>(rt, dims.dw, ['x', 'dy', 'dw'], shape, opts, owned),
  ];
  if (opts.bias)
    steps.push(...(await columnSumSteps<LinearBackwardSlots>(rt, d.M, d.N, 'dy', 'db', opts, owned, 'bias grad')));
  return makeOp(rt, {
    label: 'linear/backward',
    cost: linearBackwardCost(d, { ...opts, shape }),
    counters: await opCounters(rt, 'linear/backward', opts),
    owned,
    steps,
  });
}
