import { describe, expect, it } from 'vitest';
import { PassTimestamps } from '../../src/peers/passTimestamps';
import { readFloat32 } from '../../src/gpu/buffers';
import { testRuntime } from '../helpers/gpu';

// A stand-in for a library: it encodes its own passes on the device, as onnxruntime-web does.
const BUSY = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> runs: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  var v = x[id.x];
  for (var i = 0u; i < 2000u; i++) { v = v * 1.0001 + 0.5; }
  x[id.x] = v;
  // Counts the passes that really ran: a command buffer made invalid by the timer would not.
  runs[id.x] += 1.0;
}`;

async function library(device: GPUDevice) {
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: { module: device.createShaderModule({ code: BUSY }), entryPoint: 'main' },
  });
  const buf = device.createBuffer({ size: 4 * 4096, usage: GPUBufferUsage.STORAGE });
  const runs = device.createBuffer({ size: 4 * 4096, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const bind = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: buf } },
      { binding: 1, resource: { buffer: runs } },
    ],
  });
  return {
    /** `passes` compute passes over two command buffers, submitted separately. */
    async run(passes: number, own?: GPUComputePassTimestampWrites) {
      for (const count of [Math.ceil(passes / 2), Math.floor(passes / 2)]) {
        const enc = device.createCommandEncoder();
        for (let p = 0; p < count; p++) {
          const pass = enc.beginComputePass(own ? { timestampWrites: own } : {});
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, bind);
          pass.dispatchWorkgroups(64);
          pass.end();
        }
        device.queue.submit([enc.finish()]);
      }
      await device.queue.onSubmittedWorkDone();
    },
    /** Passes that executed so far (every element counts each one). */
    executed: async () =>
      (await readFloat32(device, runs, 4096)).every((v, _, a) => v === a[0]) && (await readFloat32(device, runs, 1))[0],
    dispose: () => {
      buf.destroy();
      runs.destroy();
    },
  };
}

describe('GPU timestamps around the passes a library encodes', () => {
  it('times every pass of every encoder, grows with the work, and restores the device afterwards', async () => {
    const { device } = await testRuntime();
    const stamps = PassTimestamps.create(device);
    expect(stamps).not.toBeNull();
    const lib = await library(device);
    try {
      await lib.run(1);
      device.pushErrorScope('validation');
      const two = await stamps!.measure(() => lib.run(2));
      const eight = await stamps!.measure(() => lib.run(8));
      // The timer must not break the library's command buffers: no validation error, all 11 ran.
      expect(await device.popErrorScope()).toBeNull();
      expect(await lib.executed()).toBe(11);
      expect(two.passes).toBe(2);
      expect(eight.passes).toBe(8);
      expect(two.ms).toBeGreaterThan(0);
      // Four times the passes: clearly more GPU time (not a speed claim, a sanity bound).
      expect(eight.ms).toBeGreaterThan(1.5 * two.ms);
      expect(Object.prototype.hasOwnProperty.call(device, 'createCommandEncoder')).toBe(false);
      // Work outside a measurement is not timed and not touched.
      await lib.run(2);
    } finally {
      lib.dispose();
      stamps!.dispose();
    }
  });

  it('refuses to sum when the library writes timestamps of its own, and when it encodes no pass', async () => {
    const { device } = await testRuntime();
    const stamps = PassTimestamps.create(device)!;
    const own = device.createQuerySet({ type: 'timestamp', count: 2 });
    const lib = await library(device);
    try {
      await expect(
        stamps.measure(() => lib.run(2, { querySet: own, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 })),
      ).rejects.toThrow(/writes its own pass timestamps/);
      await expect(stamps.measure(async () => undefined)).rejects.toThrow(/encoded no compute pass/);
      // Still usable after a refusal.
      expect((await stamps.measure(() => lib.run(2))).passes).toBe(2);
    } finally {
      lib.dispose();
      own.destroy();
      stamps.dispose();
    }
  });
});
