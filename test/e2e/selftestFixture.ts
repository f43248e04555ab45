import { encodeReport, type SelfTestReport } from '../../src/selftest';

/**
 * Someone else's "Check my GPU" report, as a link carries it: one pass, one failure with its
 * message, one skip, and markup in its text fields (a link is untrusted: it must show as text).
 */
export const HOSTILE = '<img src=x onerror="window.__pwned=1">';

export const SHARED_REPORT: SelfTestReport = {
  format: 1,
  app: { name: 'gpu-playground', version: '0.1.0', commit: 'abc1234' },
  environment: `Mozilla/5.0 ${HOSTILE}`,
  driver: null,
  startedAt: '2026-12-01T10:00:00.000Z',
  durationMs: 4200,
  adapter: {
    vendor: 'intel',
    architecture: `xe-lpg ${HOSTILE}`,
    description: 'Intel(R) Arc(TM) Graphics',
    name: 'intel/xe-lpg',
    software: false,
    features: ['shader-f16', 'subgroups', 'timestamp-query'],
    limits: {
      maxStorageBufferBindingSize: 1073741824,
      maxBufferSize: 1073741824,
      maxComputeWorkgroupStorageSize: 32768,
      maxComputeInvocationsPerWorkgroup: 1024,
      maxComputeWorkgroupSizeX: 1024,
      maxComputeWorkgroupSizeY: 1024,
      maxComputeWorkgroupsPerDimension: 65535,
      maxStorageBuffersPerShaderStage: 10,
    },
    subgroupSizes: { min: 8, max: 32 },
  },
  summary: { pass: 1, fail: 1, skip: 1 },
  results: [
    {
      id: 'matmul/tiled',
      family: 'matmul',
      variant: 'tiled',
      shape: 'M=37 N=29 K=41, tile 16×16×16 block 1×1',
      status: 'pass',
      features: [],
      tolerance: 0.001,
      error: 1.7e-7,
      maxAbs: 1.2e-6,
      worst: { output: 'C', index: 12, got: 1.5, want: 1.5 },
      compileMs: 12,
      firstDispatchMs: 3,
      steadyMs: 0.05,
      timing: 'timestamp',
      totalMs: 30,
    },
    {
      id: 'attention/tiled, 2 rows per invocation',
      family: 'attention',
      variant: 'tiled, 2 rows per invocation',
      shape: 'bh=2 N=37 d=32 causal, Br=16 Bc=16',
      status: 'fail',
      message: `O: max |error| 0.31 is 0.12 of max |reference| 2.5, tolerance 1.00e-3; ${HOSTILE}`,
      features: ['subgroups'],
      tolerance: 0.001,
      error: 0.12,
      maxAbs: 0.31,
      worst: { output: 'O', index: 1000, got: 0.2, want: 0.51 },
      compileMs: 40,
      firstDispatchMs: 5,
      steadyMs: null,
      timing: null,
      totalMs: 60,
    },
    {
      id: 'decode/GEMV f16 math',
      family: 'decode',
      variant: 'GEMV f16 math',
      shape: 'M=3 N=37 K=256',
      status: 'skip',
      message: 'this adapter has no shader-f16',
      features: ['shader-f16'],
      tolerance: null,
      error: null,
      maxAbs: null,
      worst: null,
      compileMs: null,
      firstDispatchMs: null,
      steadyMs: null,
      timing: null,
      totalMs: 0,
    },
  ],
};

/** The fragment a shared link carries. */
export const SHARED_FRAGMENT = `#report=${encodeReport(SHARED_REPORT)}`;
