import { PipelineCache, type PipelineRequest } from '../gpu/pipelines';
import type { GpuRuntime } from '../gpu/runtime';

/**
 * WGSL extension → the WebGPU feature a device must have for a shader that enables it. A kernel
 * states its optional features exactly where WGSL requires it to, in `enable` directives, so the
 * self-test learns every variant's needs from its source: a new f16 or subgroup variant added to
 * a kernel's list needs no edit here to be skipped (not failed) where the adapter lacks it.
 */
const EXTENSION_FEATURES: Record<string, string[]> = {
  f16: ['shader-f16'],
  subgroups: ['subgroups'],
  // The pre-standard spelling of subgroup operations on f16 values.
  subgroups_f16: ['subgroups', 'shader-f16'],
};

/** Features the WGSL's `enable` directives need (WGSL names with '_' map to '-' otherwise). */
export function enabledFeatures(code: string): string[] {
  const out = new Set<string>();
  for (const m of code.matchAll(/^\s*enable\s+([A-Za-z0-9_,\s]+?)\s*;/gm)) {
    for (const ext of m[1]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean))
      for (const f of EXTENSION_FEATURES[ext] ?? [ext.replace(/_/g, '-')]) out.add(f);
  }
  return [...out].sort();
}

/** A variant needs a feature this device was not given: reported as skipped, with the reason. */
export class MissingFeatureError extends Error {
  constructor(
    readonly features: string[],
    label: string,
  ) {
    super(
      `${label} enables ${features.join(' and ')}, which this adapter does not offer` +
        (features.includes('shader-f16') ? ' (no f16 arithmetic in shaders)' : '') +
        (features.includes('subgroups') ? ' (no subgroup operations)' : ''),
    );
    this.name = 'MissingFeatureError';
  }
}

export interface Probe {
  /** The runtime to hand a kernel's prepare: the real device, a fresh pipeline cache that times and gates. */
  rt: GpuRuntime;
  /** Pipeline creation so far, ms (summed: a kernel may build its pipelines concurrently). */
  compileMs(): number;
  /** Optional features enabled by the WGSL compiled so far. */
  features: Set<string>;
}

/**
 * Wraps the runtime for one case. Its own PipelineCache means every variant pays its own pipeline
 * creation (the app's cache would hide it after the first lab run); each request is checked for
 * features the device lacks before any WGSL reaches the driver.
 */
export function probeRuntime(rt: GpuRuntime): Probe {
  const cache = new PipelineCache(rt.device);
  const features = new Set<string>();
  let compileMs = 0;
  const compute = async (req: PipelineRequest): Promise<GPUComputePipeline> => {
    const needs = enabledFeatures(req.code);
    for (const f of needs) features.add(f);
    const missing = needs.filter((f) => !rt.device.features.has(f));
    if (missing.length) throw new MissingFeatureError(missing, req.label);
    const t0 = performance.now();
    try {
      return await cache.compute(req);
    } finally {
      compileMs += performance.now() - t0;
    }
  };
  const pipelines = Object.create(cache, { compute: { value: compute } }) as PipelineCache;
  // The probe reads device, adapter and info through the runtime (so a recovered device is seen)
  // and replaces only the pipeline cache.
  const probe = Object.create(rt, { pipelines: { value: pipelines } }) as GpuRuntime;
  return { rt: probe, compileMs: () => compileMs, features };
}
