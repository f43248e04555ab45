import { createStorageBuffer, destroyAll, readBuffer } from '../gpu/buffers';
import { createCounters, type CounterBuffer } from '../gpu/counters';
import { encodeSteps, type DispatchStep } from '../gpu/dispatch';
import type { GpuRuntime } from '../gpu/runtime';
import type { KernelCost, PreparedKernel, PrepareOptions } from './types';

/**
 * A kernel (one or more dispatches) compiled once for fixed dimensions and encoded on buffers the
 * CALLER owns, so a trainer chains many of them on GPU-resident tensors in one compute pass and
 * one submission. The training kernels (layernorm, crossentropy, gelu, attentionbackward,
 * embedding, adamw, linear) each export `create…(rt, dims, opts)` returning one of these.
 *
 *   const ln = await createLayerNormForward(rt, { rows, cols });
 *   const bound = ln.bind({ x, gamma, beta, y, mean, rstd });   // bind groups made once
 *   bound.encode(pass);                                          // every step
 *   // or ln.encode(pass, { … }): binds (cached per set of buffers) and encodes
 *
 * Dispatches in one compute pass are ordered and each sees the previous one's writes (WebGPU
 * synchronises storage between dispatches), so a multi-step op needs nothing from the caller.
 * Uniform parameters and the counter buffer belong to the op (dispose() frees them); the caller's
 * buffers are never destroyed. Every op is deterministic: fixed reduction orders, no atomics on
 * data, so the same inputs give bit-identical outputs (the trainer's resume promise rests on it).
 * An op belongs to the device it was created on: after a device loss, create it again. To time
 * ops one by one (timestamp queries are per pass), encode each into its own pass, or use
 * `bind(…).steps` with encodeSteps.
 */
export interface GpuOp<B extends string> {
  readonly label: string;
  /** FLOPs and global bytes of one encode, as the instrumented build counts them (cost.ts). */
  readonly cost: KernelCost;
  /** The op's traffic counters (instrumented builds count, timing builds read zeros). */
  readonly counters: CounterBuffer;
  /** The buffer names encode() expects, in binding order of the op's steps. */
  readonly slots: readonly B[];
  bind(buffers: Record<B, GPUBuffer>): BoundOp;
  encode(pass: GPUComputePassEncoder, buffers: Record<B, GPUBuffer>): void;
  dispose(): void;
}

export interface BoundOp {
  steps: DispatchStep[];
  encode(pass: GPUComputePassEncoder): void;
}

/** One dispatch of an op: its pipeline, what group 0 binds (buffer names or op-owned buffers), its grid. */
export interface OpStep<B extends string> {
  pipeline: GPUComputePipeline;
  bindings: (B | GPUBuffer)[];
  workgroups: [number, number?, number?];
  label: string;
}

export function makeOp<B extends string>(
  rt: Pick<GpuRuntime, 'device'>,
  o: { label: string; cost: KernelCost; counters: CounterBuffer; steps: OpStep<B>[]; owned: GPUBuffer[] },
): GpuOp<B> {
  const { device } = rt;
  const slots = [...new Set(o.steps.flatMap((s) => s.bindings.filter((b): b is B => typeof b === 'string')))];
  const counterGroups = o.steps.map((s) => o.counters.bind(s.pipeline));
  // Bound sets cached by the identity of their buffers (a trainer encodes the same op on a few
  // sets, one per layer, every step): a trie of WeakMaps, so freed buffers free their entries.
  const cache = new WeakMap<GPUBuffer, unknown>();
  const bind = (buffers: Record<B, GPUBuffer>): BoundOp => {
    for (const name of slots)
      if (!buffers[name]) throw new Error(`${o.label}: no buffer given for "${name}" (needs ${slots.join(', ')}).`);
    const steps: DispatchStep[] = o.steps.map((s, i) => ({
      pipeline: s.pipeline,
      label: s.label,
      workgroups: s.workgroups,
      bindGroups: [
        device.createBindGroup({
          label: `${s.label} bindings`,
          layout: s.pipeline.getBindGroupLayout(0),
          entries: s.bindings.map((b, binding) => ({
            binding,
            resource: { buffer: typeof b === 'string' ? buffers[b] : b },
          })),
        }),
        counterGroups[i],
      ],
    }));
    return { steps, encode: (pass) => encodeSteps(pass, steps) };
  };
  const cached = (buffers: Record<B, GPUBuffer>): BoundOp => {
    let node: WeakMap<GPUBuffer, unknown> = cache;
    for (let i = 0; i < slots.length; i++) {
      const buf = buffers[slots[i]];
      if (!buf) return bind(buffers);
      const last = i === slots.length - 1;
      let next = node.get(buf);
      if (!next) {
        next = last ? bind(buffers) : new WeakMap<GPUBuffer, unknown>();
        node.set(buf, next);
      }
      if (last) return next as BoundOp;
      node = next as WeakMap<GPUBuffer, unknown>;
    }
    return bind(buffers);
  };
  return {
    label: o.label,
    cost: o.cost,
    counters: o.counters,
    slots,
    bind,
    encode: (pass, buffers) => cached(buffers).encode(pass),
    dispose: () => destroyAll([...o.owned, o.counters.buffer]),
  };
}

/** Counters for an op: instrumented or not, as PrepareOptions says. */
export function opCounters(
  rt: Pick<GpuRuntime, 'device'>,
  label: string,
  opts: PrepareOptions,
): Promise<CounterBuffer> {
  return createCounters(rt.device, Boolean(opts.instrumented), `${label} counters`);
}

/** Bits of a float32, for uniform buffers of u32 words that carry a few floats. */
export function f32Bits(x: number): number {
  return new Uint32Array(new Float32Array([x]).buffer)[0];
}

export type OpData = Float32Array | Uint32Array | Int32Array | number;

/**
 * A PreparedKernel over an op: allocates one buffer per slot (data uploaded, or zeroed bytes), binds
 * them, and reads back `output` (read()) or any slot (readSlot). For tests, labs' checks and the
 * bench; the trainer binds its own buffers instead.
 */
export interface PreparedOp<B extends string> extends PreparedKernel {
  op: GpuOp<B>;
  buffers: Record<B, GPUBuffer>;
  readSlot(name: B, floats?: number): Promise<Float32Array>;
  /** Overwrites a slot's contents (e.g. to reset an accumulated output between runs). */
  write(name: B, data: Float32Array | Uint32Array): void;
}

export async function prepareOp<B extends string>(
  rt: Pick<GpuRuntime, 'device'>,
  op: GpuOp<B>,
  data: Record<B, OpData>,
  output: B,
): Promise<PreparedOp<B>> {
  const owned: GPUBuffer[] = [];
  try {
    const buffers = {} as Record<B, GPUBuffer>;
    const floats = {} as Record<B, number>;
    for (const name of op.slots) {
      const d = data[name];
      if (d === undefined) throw new Error(`${op.label}: no data for "${name}".`);
      const buf = await createStorageBuffer(rt.device, d, `${op.label}-${name}`);
      owned.push(buf);
      buffers[name] = buf;
      floats[name] = typeof d === 'number' ? d / 4 : d.length;
    }
    const bound = op.bind(buffers);
    const readSlot = async (name: B, n = floats[name]) =>
      new Float32Array(await readBuffer(rt.device, buffers[name], n * 4));
    return {
      op,
      buffers,
      steps: bound.steps,
      cost: op.cost,
      allocatedBytes: owned.reduce((a, b) => a + b.size, 0),
      counters: op.counters,
      read: () => readSlot(output),
      readSlot,
      write: (name, d) => rt.device.queue.writeBuffer(buffers[name], 0, d.slice()),
      dispose: () => {
        destroyAll(owned);
        op.dispose();
      },
    };
  } catch (e) {
    destroyAll(owned);
    op.dispose();
    throw e;
  }
}
