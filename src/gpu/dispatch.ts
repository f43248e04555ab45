/** One compute dispatch: a pipeline, its bind groups by index, and the workgroup grid. */
export interface DispatchStep {
  pipeline: GPUComputePipeline;
  bindGroups: GPUBindGroup[];
  workgroups: [number, number?, number?];
  label?: string;
}

/**
 * Splits a 1-D workgroup count into x*y so that neither exceeds the per-dimension limit (65535 by
 * default). Shaders rebuild the linear index as `gid.x + gid.y * num_workgroups.x * WORKGROUP_SIZE`
 * and bounds-check it, since x*y may overshoot.
 */
export function grid1d(workgroups: number, maxPerDim = 65535): [number, number] {
  if (workgroups <= maxPerDim) return [Math.max(1, workgroups), 1];
  const y = Math.ceil(workgroups / maxPerDim);
  return [Math.ceil(workgroups / y), y];
}

export function encodeSteps(pass: GPUComputePassEncoder, steps: DispatchStep[]): void {
  for (const s of steps) {
    pass.setPipeline(s.pipeline);
    s.bindGroups.forEach((g, i) => pass.setBindGroup(i, g));
    pass.dispatchWorkgroups(s.workgroups[0], s.workgroups[1] ?? 1, s.workgroups[2] ?? 1);
  }
}

/** Runs the steps once and waits for the GPU to finish. */
export async function runSteps(device: GPUDevice, steps: DispatchStep[], label = 'run'): Promise<void> {
  const enc = device.createCommandEncoder({ label });
  const pass = enc.beginComputePass({ label });
  encodeSteps(pass, steps);
  pass.end();
  device.queue.submit([enc.finish()]);
  await device.queue.onSubmittedWorkDone();
}

export function bindGroup(
  device: GPUDevice,
  pipeline: GPUComputePipeline,
  buffers: GPUBuffer[],
  group = 0,
  label?: string,
): GPUBindGroup {
  return device.createBindGroup({
    label,
    layout: pipeline.getBindGroupLayout(group),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
}
