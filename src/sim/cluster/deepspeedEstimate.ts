/**
 * DeepSpeed's own ZeRO-3 memory estimator, `estimate_zero3_model_states_mem_needs` in
 * deepspeed/runtime/zero/stage3.py, transcribed so the lab can show it beside our model and the
 * tests can hold it to the tables DeepSpeed prints. It differs from the ZeRO paper's 16Ψ/N: it
 * counts 18 bytes per parameter (an extra 16-bit copy) plus the largest layer's working set: its
 * 16-bit parameters gathered and its 16-bit gradients (2 + 2 = 4 bytes per parameter of that layer,
 * not the layer in fp32), and pads CPU figures by a 1.5 buffer factor.
 */
export interface DeepSpeedZero3Options {
  gpusPerNode: number;
  nodes: number;
  offloadParams: boolean;
  offloadOptimizer: boolean;
  zeroInit: boolean;
  /** DeepSpeed's default 1.5. */
  additionalBufferFactor?: number;
}

export interface DeepSpeedEstimate {
  /** Bytes per CPU (per node). */
  cpuBytes: number;
  /** Bytes per GPU. */
  gpuBytes: number;
}

export function deepspeedZero3Estimate(
  totalParams: number,
  largestLayerParams: number,
  o: DeepSpeedZero3Options,
): DeepSpeedEstimate {
  const buffer = o.additionalBufferFactor ?? 1.5;
  const totalGpus = o.nodes * o.gpusPerNode;
  const gpusFactor = 1 / o.nodes;
  // fp16 parameters gathered (2 bytes) + fp16 gradients (2 bytes) of the largest layer.
  const largestLayerMemory = (2 + 2) * largestLayerParams;
  let gpu: number;
  let cpu: number;
  if (o.offloadOptimizer) {
    if (o.offloadParams) {
      gpu = largestLayerMemory;
      cpu = totalParams * (o.zeroInit ? 18 * gpusFactor : Math.max(4 * o.gpusPerNode, 18 * gpusFactor)) * buffer;
    } else {
      gpu = largestLayerMemory + Math.trunc((2 * totalParams) / totalGpus);
      cpu = totalParams * (o.zeroInit ? 16 * gpusFactor : Math.max(4 * o.gpusPerNode, 16 * gpusFactor)) * buffer;
    }
  } else {
    // DeepSpeed's function has no "params offloaded, optimizer on GPU" case; this is its no-offload branch.
    gpu = largestLayerMemory + Math.trunc((18 * totalParams) / totalGpus);
    cpu = (o.zeroInit ? largestLayerParams : totalParams) * 4 * o.gpusPerNode * buffer;
  }
  return { cpuBytes: Math.trunc(cpu), gpuBytes: Math.trunc(gpu) };
}
