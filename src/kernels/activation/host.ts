import { createStorageBuffer, createUniformBuffer, destroyAll, readBuffer } from '../../gpu/buffers';
import { createCounters } from '../../gpu/counters';
import { bindGroup, grid1d, type DispatchStep } from '../../gpu/dispatch';
import { GpuScopeError, LimitError } from '../../gpu/errors';
import type { GpuRuntime } from '../../gpu/runtime';
import { ErrorMeter, type CheckError } from '../check';
import { specialise } from '../specialise';
import type { KernelCost, PreparedKernel, PrepareOptions } from '../types';
import { activationCost, passCost, type ActivationVariant, type UnfusedPass } from './cost';
import { activationFootprint, checkShape, fmtMiB, maxActivationElements, padded, type ActivationShape } from './limits';
import { chunkReference, fillInput, inputArray } from './reference';
import { activationSource, WORKGROUP_SIZE } from './source';

export { activationFootprint, checkShape, maxActivationElements, type ActivationShape };

/** Upload and check in chunks of 4 Mi elements (16 MiB): large sizes never sit whole in JS memory. */
const CHUNK = 1 << 22;

/** Allocation with out-of-memory explained: which buffer, how much, and what to do about it. */
async function allocate(device: GPUDevice, bytes: number, label: string, shape: ActivationShape): Promise<GPUBuffer> {
  try {
    return await createStorageBuffer(device, bytes, label);
  } catch (e) {
    if (e instanceof GpuScopeError && e.kind === 'out-of-memory') {
      throw new LimitError(
        `Out of GPU memory allocating ${label} (${fmtMiB(bytes)}); ${shape.n.toLocaleString('en-US')} elements need about ${fmtMiB(activationFootprint(shape))} in all. Try a smaller size.`,
      );
    }
    throw e;
  }
}

/** x, bias and residual on the GPU, filled from the deterministic generator; shared by all variants. */
export interface ActivationInputs extends ActivationShape {
  seed: number;
  params: GPUBuffer;
  x: GPUBuffer;
  bias: GPUBuffer;
  residual: GPUBuffer;
  dispose(): void;
}

export async function createActivationInputs(
  rt: Pick<GpuRuntime, 'device'>,
  shape: ActivationShape,
  seed = 1,
): Promise<ActivationInputs> {
  const { device } = rt;
  checkShape(shape, device.limits);
  const { n, h } = shape;
  const made: GPUBuffer[] = [];
  try {
    const x = await allocate(device, padded(n), 'activation-x', shape);
    made.push(x);
    const residual = await allocate(device, padded(n), 'activation-residual', shape);
    made.push(residual);
    const bias = await allocate(device, 4 * h, 'activation-bias', shape);
    made.push(bias);
    const params = createUniformBuffer(device, [n, h], 'activation-params');
    made.push(params);
    device.queue.writeBuffer(bias, 0, inputArray('bias', seed, h));
    const chunk = new Float32Array(Math.min(CHUNK, n));
    for (let start = 0; start < n; start += CHUNK) {
      const view = chunk.subarray(0, Math.min(CHUNK, n - start));
      device.queue.writeBuffer(x, start * 4, fillInput('x', seed, start, view));
      device.queue.writeBuffer(residual, start * 4, fillInput('residual', seed, start, view));
    }
    return { n, h, seed, params, x, bias, residual, dispose: () => destroyAll([x, residual, bias, params]) };
  } catch (e) {
    destroyAll(made);
    throw e;
  }
}

export interface PassSteps {
  pass: UnfusedPass;
  steps: DispatchStep[];
  cost: KernelCost;
}

export interface PreparedActivation extends PreparedKernel {
  variant: ActivationVariant;
  /** Unfused only: each pass alone, to time it and plot it as its own roofline point. */
  passes: PassSteps[];
  /** The check metric against the CPU reference over the whole output, read chunk by chunk. */
  compare(): Promise<CheckError>;
}

export type { PrepareOptions };

/** Prepares one variant over shared inputs: allocates its output, compiles, binds. */
export async function prepareActivation(
  rt: GpuRuntime,
  variant: ActivationVariant,
  inputs: ActivationInputs,
  opts: PrepareOptions = {},
): Promise<PreparedActivation> {
  const { device } = rt;
  const { n, h } = inputs;
  const constants = { WORKGROUP_SIZE };
  const maxDim = device.limits.maxComputeWorkgroupsPerDimension;
  const scalarGrid = grid1d(Math.ceil(n / WORKGROUP_SIZE), maxDim);
  const made: GPUBuffer[] = [];
  try {
    const out = await allocate(device, padded(n), 'activation-out', inputs);
    made.push(out);
    const counters = await createCounters(device, Boolean(opts.instrumented), `activation/${variant} counters`);
    made.push(counters.buffer);
    const pipe = (kernel: Parameters<typeof activationSource>[0]) =>
      rt.pipelines.compute(specialise({ ...activationSource(kernel), constants }, opts));
    const countGroup = (p: GPUComputePipeline) => counters.bind(p);
    let passes: PassSteps[] = [];
    let steps: DispatchStep[];
    if (variant === 'unfused') {
      const [pb, pg, pr] = await Promise.all([pipe('bias'), pipe('gelu'), pipe('residual')]);
      passes = [
        { pass: 'bias', pipeline: pb, buffers: [inputs.params, inputs.x, inputs.bias, out] },
        { pass: 'gelu', pipeline: pg, buffers: [inputs.params, out] },
        { pass: 'residual', pipeline: pr, buffers: [inputs.params, out, inputs.residual] },
      ].map(({ pass, pipeline, buffers }) => ({
        pass: pass as UnfusedPass,
        steps: [
          {
            pipeline,
            bindGroups: [bindGroup(device, pipeline, buffers), countGroup(pipeline)],
            workgroups: scalarGrid,
            label: `unfused ${pass}`,
          },
        ],
        cost: passCost(pass as UnfusedPass, n, h),
      }));
      steps = passes.flatMap((p) => p.steps);
    } else {
      const vec4 = variant === 'fused_vec4';
      const pipeline = await pipe(variant);
      const workgroups = vec4 ? grid1d(Math.ceil(Math.ceil(n / 4) / WORKGROUP_SIZE), maxDim) : scalarGrid;
      steps = [
        {
          pipeline,
          bindGroups: [
            bindGroup(device, pipeline, [inputs.params, inputs.x, inputs.bias, inputs.residual, out]),
            countGroup(pipeline),
          ],
          workgroups,
          label: variant,
        },
      ];
    }
    return {
      variant,
      steps,
      passes,
      cost: activationCost(variant, n, h),
      allocatedBytes: padded(n),
      counters,
      read: async () => new Float32Array(await readBuffer(device, out, n * 4)),
      async compare() {
        const meter = new ErrorMeter();
        for (let start = 0; start < n; start += CHUNK) {
          const len = Math.min(CHUNK, n - start);
          const got = new Float32Array(await readBuffer(device, out, len * 4, start * 4));
          meter.add(got, chunkReference(start, len, h, inputs.seed), start);
        }
        return meter.result();
      },
      dispose: () => destroyAll([out, counters.buffer]),
    };
  } catch (e) {
    destroyAll(made);
    throw e;
  }
}
