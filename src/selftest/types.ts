import type { DispatchStep } from '../gpu/dispatch';
import type { KeyLimits } from '../gpu/device';
import type { GpuRuntime } from '../gpu/runtime';
import type { CheckError } from '../kernels/check';

/**
 * The self-test's vocabulary ("Check my GPU", issue 28): one case per kernel variant, run on small
 * ragged shapes against the kernel's float64 CPU reference, and the report a user shares so that
 * a failure on their GPU can be reproduced here. Pure types: no DOM, no Node.
 */

/** One compared output of a case (a kernel may write several: y, mean and rstd). */
export interface OutputCheck {
  name: string;
  check: CheckError;
}

/** A case compiled and bound on the device, ready to dispatch. */
export interface PreparedCase {
  steps: DispatchStep[];
  /**
   * After one run of `steps`: the check metric (src/kernels/check.ts) of each output against the
   * float64 reference. `features` are the optional WebGPU features the case's WGSL enabled (an
   * f16 build is compared with its inputs rounded to f16, and held to an f16 tolerance).
   */
  outputs(features: ReadonlySet<string>): Promise<OutputCheck[]>;
  dispose(): void;
}

/** A feature a case needs, known before compiling, with the words said where it is missing. */
export interface CaseNeed {
  feature: string;
  reason: string;
}

export interface SelfTestCase {
  /** Kernel family: "matmul", "attention", "decode", "training", "elementwise". */
  family: string;
  /** The variant within the family, as its kernel names it ("register-blocked-vec4", "int4-zp"). */
  variant: string;
  /** The problem, in words a reader can rebuild it from ("M=37 N=29 K=41, tile 64×64×16 block 4×4"). */
  shape: string;
  /** Largest acceptable value of the check metric; `features` as in PreparedCase.outputs. */
  tolerance(features: ReadonlySet<string>): number;
  /** Features known to be needed before compiling (others are found in the WGSL's enable directives). */
  needs?: readonly CaseNeed[];
  prepare(rt: GpuRuntime): Promise<PreparedCase>;
}

export type Status = 'pass' | 'fail' | 'skip';

export interface VariantResult {
  /** "family/variant", unique within a report. */
  id: string;
  family: string;
  variant: string;
  shape: string;
  status: Status;
  /** Why skipped, or what failed (the error's own message); absent on a pass. */
  message?: string;
  /** Optional features the variant's WGSL enabled (or needed, where skipped). */
  features: string[];
  tolerance: number | null;
  /** The check metric of the worst output: max |got − want| / max |want|. */
  error: number | null;
  /** max |got − want| of that output. */
  maxAbs: number | null;
  /** The worst output's name, index and values, enough to find the bad element again. */
  worst: { output: string; index: number; got: number | null; want: number | null } | null;
  /** Pipeline creation (shader module + compute pipeline), summed over the variant's pipelines, ms. */
  compileMs: number | null;
  /** The first dispatch after creation, to completion: drivers that compile lazily pay here. */
  firstDispatchMs: number | null;
  /** Median of steady repeated runs, ms (a passing variant only: a wrong kernel is not timed). */
  steadyMs: number | null;
  timing: 'timestamp' | 'wallclock' | null;
  /** Wall time of the whole case, ms. */
  totalMs: number;
}

export interface AdapterReport {
  vendor: string;
  architecture: string;
  description: string;
  name: string;
  software: boolean;
  features: string[];
  limits: KeyLimits;
  subgroupSizes: { min: number; max: number } | null;
}

export interface SelfTestReport {
  /** Report format version: a reader refuses versions it does not know. */
  format: 1;
  app: { name: string; version: string; commit: string | null };
  /** navigator.userAgent in a browser; "Node v22 (linux x64), Dawn" in Node. */
  environment: string;
  /** Where the adapter came from when it was chosen by configuration (VK_ICD_FILENAMES in Node). */
  driver: string | null;
  startedAt: string;
  durationMs: number;
  adapter: AdapterReport;
  summary: { pass: number; fail: number; skip: number };
  results: VariantResult[];
}
