import { GpuUnavailableError } from './errors';

/** The limits that decide which problem sizes and tile shapes a lab may run. */
export interface KeyLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupStorageSize: number;
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupSizeX: number;
  maxComputeWorkgroupSizeY: number;
  maxComputeWorkgroupsPerDimension: number;
  maxStorageBuffersPerShaderStage: number;
}

export interface GpuInfo {
  vendor: string;
  architecture: string;
  description: string;
  /** "vendor/architecture", the adapter name used in bench rows and recordings. */
  name: string;
  /** SwiftShader and other CPU fallbacks: their timings are a CPU's. */
  software: boolean;
  timestampQuery: boolean;
  features: string[];
  limits: KeyLimits;
  /**
   * The adapter's subgroup sizes (GPUAdapterInfo.subgroupMinSize/MaxSize) where the browser reports
   * them, else null: 4 on SwiftShader, 32 on NVIDIA, 32 or 64 on AMD, 8 to 32 on Intel.
   */
  subgroupSizes?: { min: number; max: number } | null;
}

export interface AcquiredDevice {
  adapter: GPUAdapter;
  device: GPUDevice;
  info: GpuInfo;
}

export interface AcquireOptions {
  /** Defaults to `navigator.gpu`; in Node, test/setup and the bench install Dawn there. */
  gpu?: GPU;
  powerPreference?: GPUPowerPreference;
  label?: string;
}

/** The limits the playground requests and reports (the self-test's report carries the same keys). */
export const LIMIT_KEYS: (keyof KeyLimits)[] = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
];

export function findGpu(): GPU | undefined {
  return (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
}

/** One way to get a device in the browser and in Node: request timestamp-query, shader-f16 and subgroups where the adapter has them, and its full limits. */
export async function acquireDevice(opts: AcquireOptions = {}): Promise<AcquiredDevice> {
  const gpu = opts.gpu ?? findGpu();
  if (!gpu) {
    throw new GpuUnavailableError('no-webgpu', 'This browser does not expose WebGPU (navigator.gpu is missing).');
  }
  const adapter = await gpu.requestAdapter({ powerPreference: opts.powerPreference ?? 'high-performance' });
  if (!adapter) {
    throw new GpuUnavailableError(
      'no-adapter',
      'WebGPU is present but no GPU adapter was found (blocklisted driver or disabled hardware acceleration).',
    );
  }
  // Optional features, requested only where the adapter has them (a device asked for a feature its
  // adapter lacks is refused): shader-f16 and subgroups enable the decode lab's f16-arithmetic and
  // subgroup-reduction GEMV variants (src/kernels/quant/features.ts), offered only when present.
  const wanted = ['timestamp-query', 'shader-f16', 'subgroups'] as GPUFeatureName[];
  const requiredFeatures = wanted.filter((f) => adapter.features.has(f));
  // Ask for the adapter's own maxima: the defaults (e.g. 128 MiB bindings) would cap sizes the hardware allows.
  const requiredLimits: Record<string, number> = {};
  for (const k of LIMIT_KEYS) requiredLimits[k] = adapter.limits[k];
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredFeatures, requiredLimits, label: opts.label ?? 'gpu-playground' });
  } catch (e) {
    throw new GpuUnavailableError('device-request-failed', `The adapter refused a device: ${(e as Error).message}`);
  }
  return { adapter, device, info: describeAdapter(adapter, device) };
}

function describeAdapter(adapter: GPUAdapter, device: GPUDevice): GpuInfo {
  const ai = (adapter as { info?: GPUAdapterInfo }).info;
  const vendor = ai?.vendor || 'unknown';
  const architecture = ai?.architecture || 'unknown';
  const description = ai?.description || '';
  const limits = {} as KeyLimits;
  for (const k of LIMIT_KEYS) limits[k] = device.limits[k];
  const sg = ai as (GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number }) | undefined;
  const subgroupSizes =
    sg?.subgroupMinSize && sg.subgroupMaxSize ? { min: sg.subgroupMinSize, max: sg.subgroupMaxSize } : null;
  const software =
    /swiftshader|llvmpipe|lavapipe|warp|basic render/i.test(`${vendor} ${architecture} ${description}`) ||
    Boolean((ai as { isFallbackAdapter?: boolean })?.isFallbackAdapter);
  return {
    vendor,
    architecture,
    description,
    name: `${vendor}/${architecture}`,
    software,
    timestampQuery: device.features.has('timestamp-query'),
    features: [...device.features].sort(),
    limits,
    subgroupSizes,
  };
}
