import { describe, expect, it } from 'vitest';
import { loadOrt, ortAttention } from '../../src/peers';
import { LOOP_VAR_PROBE_WGSL, loopVarProbe, ORT_MIN_SUBGROUP_SIZE } from '../../src/peers/ortGate';
import { randomFloats, testRuntime } from '../helpers/gpu';
import { attentionRef } from './references';

// Issue #28: why onnxruntime-web's attention is wrong with subgroups on both software adapters,
// reduced to what causes it. src/peers/ortGate.ts turns subgroups off for ORT where this applies;
// peers.test.ts checks ORT's attention is right with that gate.

describe('a loop-local var without initializer (the WGSL compiler in Dawn for Node)', () => {
  it('carries its value into the next iteration today, where WGSL restarts it at zero; an explicit zero restarts it', async () => {
    const rt = await testRuntime();
    // Today's behaviour of the `webgpu` package's compiler on SwiftShader and lavapipe alike:
    // 1 + 2 + 3 + 4. If this becomes 4, Dawn was fixed: ortGate's loop-variable gate stops
    // tripping, and the reproduction below then says whether ORT's subgroup path is right here.
    expect(await loopVarProbe(rt.device)).toBe(10);
    const explicit = LOOP_VAR_PROBE_WGSL.replace('var acc : vec4<f32>;', 'var acc = vec4<f32>(0.0);');
    expect(explicit).not.toBe(LOOP_VAR_PROBE_WGSL);
    expect(await loopVarProbe(rt.device, explicit)).toBe(4);
  });
});

/** max |ORT − float64| for MultiHeadAttention over one head, N = 32 keys (four blocks of 8). */
async function ortError(d: number): Promise<number> {
  const peer = await loadOrt({ subgroups: 'kept' });
  const [BH, N] = [1, 32];
  const Q = randomFloats(BH * N * d, 8, -1.2, 1.2);
  const K = randomFloats(BH * N * d, 9, -1.2, 1.2);
  const V = randomFloats(BH * N * d, 10);
  const quick = { warmup: 0, samples: 1, minSampleMs: 0, maxRepeats: 1 };
  const { output } = await ortAttention(peer, Q, K, V, BH, N, d, false, quick);
  const ref = attentionRef(Q, K, V, BH, N, d, false);
  let m = 0;
  for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(output[i] - ref[i]));
  return m;
}

// ORT's device is one per process: this file loads it with subgroups kept (no gate), which is
// why it is a file of its own. ORT compiles its WGSL per head size, so the two runs use two.
describe('onnxruntime-web attention on its subgroup path (gate off)', { timeout: 180_000 }, () => {
  it('is wrong at N = 32, and right at 8-wide subgroups once its loop-local score accumulators start at zero', async () => {
    const rt = await testRuntime();
    const width = rt.info.subgroupSizes?.min;
    if (!rt.info.features.includes('subgroups') || width === undefined) {
      // No subgroups: ORT never takes the path this file is about; its attention is checked in peers.test.ts.
      expect(await ortError(8)).toBeLessThan(1e-4);
      return;
    }
    const conforming = (await loopVarProbe(rt.device)) === 4;
    const unpatched = await ortError(8);
    if (width >= ORT_MIN_SUBGROUP_SIZE && conforming) expect(unpatched).toBeLessThan(1e-4);
    else expect(unpatched).toBeGreaterThan(1e-3);

    // The same shader with `var qk_1 : vec4<…>;` … `qk_4` given an explicit zero, as WGSL implies.
    const Device = (globalThis as unknown as { GPUDevice: { prototype: GPUDevice } }).GPUDevice;
    const original = Device.prototype.createShaderModule;
    let patched = 0;
    Device.prototype.createShaderModule = function (this: GPUDevice, desc: GPUShaderModuleDescriptor) {
      if (desc.label !== 'FlashAttention') return original.call(this, desc);
      const code = desc.code.replace(/var (qk_\d) : vec4<qk_precision>;/g, 'var $1 = vec4<qk_precision>(0);');
      if (code !== desc.code) patched++;
      return original.call(this, { ...desc, code });
    };
    let fixed: number;
    try {
      fixed = await ortError(16);
    } finally {
      Device.prototype.createShaderModule = original;
    }
    // The patch reached ORT's FlashAttention shader, so the run below is the subgroup path.
    expect(patched).toBeGreaterThan(0);
    // 8 wide or more: the compiler was the whole problem. Narrower: still wrong, since the shader
    // reads keys from subgroup lanes 0–7 and lanes 4–7 of a 4-wide subgroup do not exist.
    if (width >= ORT_MIN_SUBGROUP_SIZE) expect(fixed).toBeLessThan(1e-4);
    else expect(fixed).toBeGreaterThan(1e-3);
  });
});
