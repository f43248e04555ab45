import { describe, expect, it } from 'vitest';
import { runSteps } from '../../src/gpu/dispatch';
import { GpuScopeError, LimitError } from '../../src/gpu/errors';
import {
  ACTIVATION_VARIANTS,
  activationCost,
  activationReference,
  checkShape,
  createActivationInputs,
  epilogueRef,
  geluRef,
  inputArray,
  maxActivationElements,
  passCost,
  prepareActivation,
  trafficRatio,
  UNFUSED_PASSES,
} from '../../src/kernels/activation';
import { maxAbsError } from '../../src/kernels/measure';
import { testRuntime } from '../helpers/gpu';

// Ragged on purpose: not a multiple of 4 (vec4 tail), of 256 (workgroup), or of H (partial last row).
const SHAPES = [
  { n: 4099, h: 12 },
  { n: 1024, h: 256 },
  { n: 3, h: 8 }, // fewer elements than one vec4 and than one row
];

describe('activation epilogue reference', () => {
  it('GELU matches known values of the tanh approximation', () => {
    expect(geluRef(0)).toBe(0);
    expect(geluRef(1)).toBeCloseTo(0.841192, 5);
    expect(geluRef(-1)).toBeCloseTo(-0.158808, 5);
    expect(geluRef(20)).toBe(20);
    expect(geluRef(-20)).toBeCloseTo(0, 6);
    expect(epilogueRef(1, -1, 0.5)).toBe(0.5);
  });

  it('generated inputs are deterministic, seed-dependent and span GELU’s range', () => {
    const a = inputArray('x', 7, 1000);
    expect(Array.from(inputArray('x', 7, 1000))).toEqual(Array.from(a));
    expect(Array.from(inputArray('x', 8, 1000))).not.toEqual(Array.from(a));
    expect(Math.min(...a)).toBeLessThan(-3);
    expect(Math.max(...a)).toBeGreaterThan(3);
  });
});

describe('activation cost model', () => {
  it('counts 28 bytes per element unfused and 12 fused, bias once per pass', () => {
    const n = 1 << 20;
    const h = 1024;
    const u = activationCost('unfused', n, h);
    expect(u.bytesRead + u.bytesWritten).toBe(28 * n + 4 * h);
    expect(u.flops).toBe(11 * n);
    const f = activationCost('fused', n, h);
    expect(f).toEqual(activationCost('fused_vec4', n, h));
    expect(f.bytesRead + f.bytesWritten).toBe(12 * n + 4 * h);
    expect(f.flops).toBe(u.flops);
    expect(trafficRatio(n, h)).toBeCloseTo((28 * n + 4 * h) / (12 * n + 4 * h), 12);
    expect(passCost('bias', 3, 8).bytesRead).toBe(12 + 12);
  });
});

describe('activation kernels on Dawn', () => {
  for (const shape of SHAPES) {
    for (const variant of ACTIVATION_VARIANTS) {
      it(`${variant} N=${shape.n} H=${shape.h}: matches the CPU reference and counts exactly the modelled bytes`, async () => {
        const rt = await testRuntime();
        const inputs = await createActivationInputs(rt, shape, 5);
        const k = await prepareActivation(rt, variant, inputs, { instrumented: true });
        try {
          await runSteps(rt.device, k.steps);
          const got = await k.read();
          const want = activationReference(
            inputArray('x', 5, shape.n),
            inputArray('bias', 5, shape.h),
            inputArray('residual', 5, shape.n),
            shape.h,
          );
          const { error } = maxAbsError(got, want);
          // GPU tanh differs from Math.tanh by a few ulps; outputs are at most ~5 in magnitude.
          expect(error).toBeLessThan(1e-4);
          expect((await k.compare()).maxAbs).toBe(error);
          const counted = await k.counters.read();
          expect(counted).toEqual({ bytesRead: k.cost.bytesRead, bytesWritten: k.cost.bytesWritten });
          // A second run adds the same again; after a reset it starts from zero.
          k.counters.reset();
          await runSteps(rt.device, k.steps);
          expect(await k.counters.read()).toEqual(counted);
        } finally {
          k.dispose();
          inputs.dispose();
        }
      });
    }
  }

  it('each unfused pass alone counts exactly its own modelled bytes', async () => {
    const rt = await testRuntime();
    const shape = { n: 2053, h: 20 };
    const inputs = await createActivationInputs(rt, shape, 2);
    const k = await prepareActivation(rt, 'unfused', inputs, { instrumented: true });
    try {
      expect(k.passes.map((p) => p.pass)).toEqual(UNFUSED_PASSES);
      for (const p of k.passes) {
        k.counters.reset();
        await runSteps(rt.device, p.steps);
        expect(await k.counters.read(), p.pass).toEqual({
          bytesRead: p.cost.bytesRead,
          bytesWritten: p.cost.bytesWritten,
        });
      }
    } finally {
      k.dispose();
      inputs.dispose();
    }
  });

  it('the uninstrumented kernels give the same output and count nothing', async () => {
    const rt = await testRuntime();
    const inputs = await createActivationInputs(rt, { n: 999, h: 16 }, 3);
    const k = await prepareActivation(rt, 'fused_vec4', inputs);
    try {
      await runSteps(rt.device, k.steps);
      expect((await k.compare()).maxAbs).toBeLessThan(1e-4);
      expect(await k.counters.read()).toEqual({ bytesRead: 0, bytesWritten: 0 });
    } finally {
      k.dispose();
      inputs.dispose();
    }
  });
});

describe('activation sizes and failures', () => {
  const limits = { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 256 * 2 ** 20 };

  it('clamps to the smaller of the binding and buffer limits, in whole vec4s', () => {
    expect(maxActivationElements(limits)).toBe(32 * 2 ** 20);
    expect(maxActivationElements({ maxStorageBufferBindingSize: 1000, maxBufferSize: 4000 })).toBe(248);
    expect(() => checkShape({ n: 32 * 2 ** 20, h: 1024 }, limits)).not.toThrow();
  });

  it('rejects sizes over the device limit, zero, NaN and tiny hidden sizes with a clear message', async () => {
    expect(() => checkShape({ n: 32 * 2 ** 20 + 1, h: 1024 }, limits)).toThrow(LimitError);
    expect(() => checkShape({ n: 32 * 2 ** 20 + 1, h: 1024 }, limits)).toThrow(/binds at most 128\.0 MiB/);
    expect(() => checkShape({ n: 0, h: 1024 }, limits)).toThrow(/positive whole number/);
    expect(() => checkShape({ n: NaN, h: 1024 }, limits)).toThrow(RangeError);
    expect(() => checkShape({ n: 64, h: 2 }, limits)).toThrow(/Hidden size/);
    const rt = await testRuntime();
    const tooBig = maxActivationElements(rt.device.limits) + 4;
    await expect(createActivationInputs(rt, { n: tooBig, h: 64 })).rejects.toThrow(LimitError);
  });

  it('explains an out-of-memory on buffer creation and frees what it had allocated', async () => {
    // A device whose third allocation runs out of memory, as a real one would at a size near its limit.
    let created = 0;
    const destroyed: string[] = [];
    let scopePops = 0;
    const device = {
      limits,
      queue: { writeBuffer() {} },
      pushErrorScope() {},
      async popErrorScope() {
        // Pops come in threes per allocation: validation, out-of-memory, internal.
        const which = scopePops++ % 3;
        return which === 1 && created === 3 ? { message: 'Not enough memory left.' } : null;
      },
      createBuffer(d: GPUBufferDescriptor) {
        created++;
        return {
          label: d.label,
          size: d.size,
          getMappedRange: () => new ArrayBuffer(d.size),
          unmap() {},
          destroy() {
            destroyed.push(String(d.label));
          },
        };
      },
    } as unknown as GPUDevice;
    const err = await createActivationInputs({ device }, { n: 1 << 20, h: 1024 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimitError);
    expect(String((err as Error).message)).toMatch(/Out of GPU memory allocating activation-bias .*Try a smaller size/);
    expect(destroyed).toEqual(['activation-x', 'activation-residual']);
    expect(new GpuScopeError('out-of-memory', 'x', 'y').kind).toBe('out-of-memory');
  });
});
