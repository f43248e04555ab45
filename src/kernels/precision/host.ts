import castWgsl from '../../../shaders/precision/cast.wgsl?raw';
import { createStorageBuffer, destroyAll, readUint32 } from '../../gpu/buffers';
import { createCounters } from '../../gpu/counters';
import { bindGroup, grid1d } from '../../gpu/dispatch';
import { LimitError } from '../../gpu/errors';
import type { GpuRuntime } from '../../gpu/runtime';
import { checkKernel, type CheckError } from '../measure';
import { specialise } from '../specialise';
import type { PreparedKernel, PrepareOptions } from '../types';
import { CAST_ELEMS_PER_THREAD, CAST_WORKGROUP, STAT_SLOTS, castCost } from './cost';
import { BF16, FP16, castReference, decode, type CastStats } from './reference';

/** Loss scales the kernel accepts: powers of two 2^0 … 2^32 (applied exactly, on the exponent bits). */
export const MAX_SCALE_LOG2 = 32;

export function checkScale(scale: number): void {
  const k = Math.log2(scale);
  if (!Number.isInteger(k) || k < 0 || k > MAX_SCALE_LOG2)
    throw new RangeError(`Loss scale must be a power of two from 1 to 2^${MAX_SCALE_LOG2}, got ${scale}.`);
}

export interface PreparedCast extends PreparedKernel {
  n: number;
  scale: number;
  /** Sets the loss scale for the next dispatches (a uniform write, no recompile). */
  setScale(scale: number): void;
  /** Output words: (bf16 << 16) | fp16. */
  readBits(): Promise<Uint32Array>;
  /** Counts since the last resetStats (every dispatch adds to them). */
  stats(): Promise<CastStats>;
  resetStats(): void;
}

/** Uploads `input` and prepares the cast kernel over it. */
export async function prepareCast(
  rt: Pick<GpuRuntime, 'device' | 'pipelines'>,
  input: Float32Array,
  opts: PrepareOptions & { scale?: number } = {},
): Promise<PreparedCast> {
  const { device } = rt;
  const n = input.length;
  if (!Number.isInteger(n) || n < 1) throw new RangeError('The cast needs at least one value.');
  const maxBytes = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  if (4 * n > maxBytes)
    throw new LimitError(
      `${n.toLocaleString('en-US')} values need ${(4 * n) / 2 ** 20} MiB per buffer; this device binds at most ${maxBytes / 2 ** 20} MiB.`,
    );
  let scale = opts.scale ?? 1;
  checkScale(scale);
  const made: GPUBuffer[] = [];
  try {
    const params = device.createBuffer({
      size: 16,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      label: 'cast-params',
    });
    made.push(params);
    const writeParams = () => {
      device.queue.writeBuffer(params, 0, Uint32Array.of(n, Math.log2(scale), 0, 0));
    };
    writeParams();
    const x = await createStorageBuffer(device, new Uint32Array(input.buffer, input.byteOffset, n), 'cast-input');
    made.push(x);
    const out = await createStorageBuffer(device, 4 * n, 'cast-output');
    made.push(out);
    const stats = await createStorageBuffer(device, new Uint32Array(STAT_SLOTS), 'cast-stats');
    made.push(stats);
    const counters = await createCounters(device, Boolean(opts.instrumented), 'cast-counters');
    made.push(counters.buffer);
    const pipeline = await castPipeline(rt, opts);
    const groups = grid1d(
      Math.ceil(n / (CAST_WORKGROUP * CAST_ELEMS_PER_THREAD)),
      device.limits.maxComputeWorkgroupsPerDimension,
    );
    const readBits = async () => readUint32(device, out, n);
    return {
      n,
      get scale() {
        return scale;
      },
      setScale(s: number) {
        checkScale(s);
        scale = s;
        writeParams();
      },
      steps: [
        {
          pipeline,
          bindGroups: [bindGroup(device, pipeline, [params, x, out, stats]), counters.bind(pipeline)],
          workgroups: groups,
          label: 'cast fp16/bf16',
        },
      ],
      cost: castCost(n),
      allocatedBytes: 8 * n + 4 * STAT_SLOTS + 16,
      counters,
      readBits,
      /** fp16 values then bf16 values, decoded to float32 (exact). */
      async read() {
        const bits = await readBits();
        const v = new Float32Array(2 * n);
        for (let i = 0; i < n; i++) {
          v[i] = decode(bits[i] & 0xffff, FP16);
          v[n + i] = decode(bits[i] >>> 16, BF16);
        }
        return v;
      },
      async stats() {
        const s = await readUint32(device, stats, STAT_SLOTS);
        return {
          fp16: { underflow: s[0], subnormal: s[1], overflow: s[2] },
          bf16: { underflow: s[3], subnormal: s[4], overflow: s[5] },
          nonzero: s[6],
        };
      },
      resetStats: () => device.queue.writeBuffer(stats, 0, new Uint32Array(STAT_SLOTS)),
      dispose: () => destroyAll(made),
    };
  } catch (e) {
    destroyAll(made);
    throw e;
  }
}

/** First output word that differs from the reference's bits, as the kernel contract's CheckError (bit-exact: 0 or 1). */
export function compareBits(got: Uint32Array, want: Uint32Array): CheckError & { mismatches: number } {
  let mismatches = 0;
  let index = -1;
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) {
      if (index < 0) index = i;
      mismatches++;
    }
  }
  return {
    error: mismatches ? 1 : 0,
    maxAbs: mismatches,
    scale: 1,
    index,
    got: index >= 0 ? got[index] : NaN,
    want: index >= 0 ? want[index] : NaN,
    checked: want.length,
    mismatches,
  };
}

/**
 * Runs the cast once at the kernel's current scale and checks every output word against the CPU
 * reference bit for bit (tolerance 0), and the GPU's counts against the reference's.
 */
export async function checkCast(
  rt: Pick<GpuRuntime, 'device'>,
  k: PreparedCast,
  input: Float32Array,
): Promise<{ check: CheckError; stats: CastStats; reference: CastStats }> {
  const ref = castReference(input, k.scale);
  k.resetStats();
  const check = await checkKernel(rt, k, {
    label: `precision/cast n=${k.n} scale=${k.scale}`,
    tolerance: 0,
    compare: async () => compareBits(await k.readBits(), ref.bits),
  });
  const stats = await k.stats();
  if (JSON.stringify(stats) !== JSON.stringify(ref.stats))
    throw new Error(
      `precision/cast: GPU counts ${JSON.stringify(stats)} differ from the CPU reference's ${JSON.stringify(ref.stats)}.`,
    );
  return { check, stats, reference: ref.stats };
}

/** The cast kernel's pipeline: the measured run here and the training step's op (ops.ts) build it alike. */
export function castPipeline(rt: Pick<GpuRuntime, 'pipelines'>, opts: PrepareOptions): Promise<GPUComputePipeline> {
  return rt.pipelines.compute(
    specialise(
      {
        code: castWgsl,
        label: 'precision/cast',
        constants: { WORKGROUP_SIZE: CAST_WORKGROUP, ELEMS_PER_THREAD: CAST_ELEMS_PER_THREAD },
      },
      opts,
    ),
  );
}
