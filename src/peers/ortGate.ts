/**
 * When onnxruntime-web may use subgroups (issue #28). With the `subgroups` feature its WebGPU EP
 * runs attention (MultiHeadAttention, GroupQueryAttention) through its FlashAttention shader;
 * without it, through portable kernels that are right on every adapter we have. That shader is
 * wrong in two situations, found by capturing the WGSL ORT 1.30 compiles and changing one thing
 * at a time (test/peers/ort-subgroups.test.ts keeps both reproductions):
 *
 * 1. Subgroups narrower than 8 (SwiftShader: 4). For widths up to 8 the shader takes 8 keys per
 *    step and reads key j from subgroup lane j with subgroupShuffle, for j = 0…7; on a 4-wide
 *    subgroup lanes 4–7 do not exist. Query rows that see only the first 4 keys stay right.
 * 2. A WGSL compiler that carries a loop-local `var` over iterations. The shader declares its
 *    score accumulators `var qk_1 : vec4<f32>;` inside the key loop and adds into them, relying
 *    on WGSL's rule that such a variable starts at zero on every iteration. Dawn in the `webgpu`
 *    npm package (0.6.2) does not re-zero it, on SwiftShader and lavapipe alike, so every key
 *    block after the first adds the earlier blocks' scores again: wrong from N = 32 (below that
 *    ORT takes its decode path). Giving the accumulators an explicit `= vec4<f32>(0)` makes ORT
 *    right on lavapipe's 8-wide subgroups, so this is the compiler, not ORT's arithmetic. The
 *    workbench warns users about the same bug, also seen in Chromium 156 (workbench/check/loopVars.ts).
 *
 * Either way ORT's device is requested without the subgroup features; the peer's rows say why.
 */

/** Smallest subgroup width ORT's FlashAttention shader handles: it reads keys from lanes 0–7. */
export const ORT_MIN_SUBGROUP_SIZE = 8;

export interface SubgroupGate {
  /** A few words for a table row's label. */
  short: string;
  /** The whole reason, for a tooltip, a log or the README. */
  detail: string;
}

/**
 * One invocation, four iterations, each adding 1 to a `var` declared in the loop body without an
 * initializer and summing what it holds: 1 + 1 + 1 + 1 = 4 where the variable restarts at zero
 * every iteration (the WGSL rule), 1 + 2 + 3 + 4 = 10 where the compiler keeps it.
 */
export const LOOP_VAR_PROBE_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(1) fn main() {
  var total = 0.0;
  for (var i = 0u; i < 4u; i++) {
    var acc : vec4<f32>;
    acc[0] += 1.0;
    total += acc[0];
  }
  out[0] = total;
}`;

/**
 * Runs LOOP_VAR_PROBE_WGSL (or a variant of it with the same binding) on `device`: 4 on a
 * conforming compiler, 10 where loop-local variables carry over.
 */
export async function loopVarProbe(device: GPUDevice, code = LOOP_VAR_PROBE_WGSL): Promise<number> {
  const module = device.createShaderModule({ label: 'loop-local var probe', code });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const out = device.createBuffer({ size: 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(
      0,
      device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] }),
    );
    pass.dispatchWorkgroups(1);
    pass.end();
    enc.copyBufferToBuffer(out, 0, read, 0, 4);
    device.queue.submit([enc.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    return new Float32Array(read.getMappedRange())[0];
  } finally {
    if (read.mapState === 'mapped') read.unmap();
    out.destroy();
    read.destroy();
  }
}

export function narrowSubgroupGate(width: number): SubgroupGate {
  return {
    short: `subgroups off: ${width}-wide`,
    detail:
      `ORT's FlashAttention reads keys from subgroup lanes 0–7, and this adapter's subgroups are ${width} wide, ` +
      `so its subgroup path returns wrong attention here; ORT runs its portable kernels instead (issue #28).`,
  };
}

export const LOOP_VAR_GATE: SubgroupGate = {
  short: 'subgroups off: loop-var compiler bug',
  detail:
    "This adapter's WGSL compiler keeps a loop-local `var` declared without initializer from one iteration " +
    "to the next (WGSL restarts it at zero). ORT's FlashAttention, which it runs only with subgroups, " +
    'accumulates its scores in such variables and returns wrong attention from N = 32; ORT runs its ' +
    'portable kernels instead (issue #28).',
};

/**
 * Whether ORT must run without subgroups on `adapter`, and why. The loop-variable probe runs on a
 * device of its own from a second adapter of the same `gpu` (requesting a device consumes an
 * adapter, and ORT's device must come from `adapter`).
 */
export async function ortSubgroupGate(
  adapter: GPUAdapter,
  requestAnother: () => Promise<GPUAdapter | null>,
): Promise<SubgroupGate | null> {
  if (!adapter.features.has('subgroups')) return null;
  const width = (adapter.info as GPUAdapterInfo & { subgroupMinSize?: number }).subgroupMinSize;
  if (width !== undefined && width < ORT_MIN_SUBGROUP_SIZE) return narrowSubgroupGate(width);
  const probeAdapter = await requestAnother();
  if (!probeAdapter) return null;
  const device = await probeAdapter.requestDevice();
  try {
    return (await loopVarProbe(device)) === 4 ? null : LOOP_VAR_GATE;
  } finally {
    device.destroy();
  }
}
