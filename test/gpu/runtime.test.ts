import { describe, expect, it } from 'vitest';
import { createStorageBuffer, readFloat32 } from '../../src/gpu/buffers';
import { bindGroup, runSteps } from '../../src/gpu/dispatch';
import { GpuScopeError, ShaderCompileError } from '../../src/gpu/errors';
import { compileShader, pipelineKey } from '../../src/gpu/pipelines';
import { GpuRuntime, type RuntimeEvent } from '../../src/gpu/runtime';
import { withErrorScopes } from '../../src/gpu/scopes';
import { prepareCopy } from '../../src/kernels/ceilings';
import { testRuntime } from '../helpers/gpu';

const DOUBLE = `
@group(0) @binding(0) var<storage, read_write> data: array<f32>;
override SCALE: f32 = 2.0;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x < arrayLength(&data)) { data[gid.x] = data[gid.x] * SCALE; }
}`;

describe('GPU runtime', () => {
  it('returns shader compile errors with line and column', async () => {
    const rt = await testRuntime();
    const bad = 'fn main() {\n  let x = ;\n}\n';
    const err = await compileShader(rt.device, bad, 'broken.wgsl').catch((e) => e);
    expect(err).toBeInstanceOf(ShaderCompileError);
    const d = (err as ShaderCompileError).diagnostics.find((x) => x.type === 'error')!;
    expect(d.line).toBe(2);
    expect(d.column).toBeGreaterThan(0);
    expect((err as Error).message).toMatch(/^broken\.wgsl:2:\d+: /);
  });

  it('caches pipelines by shader and override constants', async () => {
    const rt = await testRuntime();
    const a = await rt.pipelines.compute({ code: DOUBLE, label: 'double', constants: { SCALE: 3 } });
    const b = await rt.pipelines.compute({ code: DOUBLE, label: 'double', constants: { SCALE: 3 } });
    const c = await rt.pipelines.compute({ code: DOUBLE, label: 'double', constants: { SCALE: 4 } });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(pipelineKey({ code: DOUBLE, label: 'x', constants: { A: 1, B: 2 } })).toBe(
      pipelineKey({ code: DOUBLE, label: 'y', constants: { B: 2, A: 1 } }),
    );
    const buf = await createStorageBuffer(rt.device, new Float32Array([1, 2, 3]), 'data');
    await runSteps(rt.device, [{ pipeline: c, bindGroups: [bindGroup(rt.device, c, [buf])], workgroups: [1] }]);
    expect(Array.from(await readFloat32(rt.device, buf, 3))).toEqual([4, 8, 12]);
    buf.destroy();
  });

  it('catches validation and out-of-memory errors with error scopes', async () => {
    const rt = await testRuntime();
    const validation = await withErrorScopes(rt.device, 'making a bad buffer', () =>
      rt.device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE }),
    ).catch((e) => e);
    expect(validation).toBeInstanceOf(GpuScopeError);
    expect((validation as GpuScopeError).kind).toBe('validation');
    const tooBig = await createStorageBuffer(rt.device, rt.device.limits.maxBufferSize + 4, 'huge').catch((e) => e);
    expect(tooBig).toBeInstanceOf(GpuScopeError);
    expect((tooBig as Error).message).toMatch(/huge/);
  });

  it('recovers when the device is destroyed mid-run and re-runs the task on the new device', async () => {
    const rt = await GpuRuntime.create({ label: 'loss-test' });
    const events: RuntimeEvent['type'][] = [];
    rt.on((e) => events.push(e.type));
    const firstGeneration = rt.generation;
    let attempts = 0;
    try {
      const out = await rt.run(async (r) => {
        attempts++;
        const k = await prepareCopy(r, 4096, new Float32Array(4096).fill(attempts));
        try {
          // Lose the device while the first attempt is in flight, as a driver reset would.
          if (attempts === 1) r.device.destroy();
          await runSteps(r.device, k.steps);
          return await k.read();
        } finally {
          k.dispose();
        }
      });
      expect(attempts).toBe(2);
      expect(rt.generation).toBe(firstGeneration + 1);
      expect(events).toEqual(['lost', 'recovered']);
      expect(out.length).toBe(4096);
      expect(out.every((v) => v === 2)).toBe(true);
    } finally {
      rt.dispose();
    }
  });
});
