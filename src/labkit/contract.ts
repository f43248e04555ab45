/**
 * Platform v2: the one seam between a lab and the shell. A lab is one folder, `src/labs/<id>/`:
 *   meta.ts   `export const meta = defineLab({...})`: identity, order, typed schema, device clamps.
 *             Eager and small: imports only pure files (shape, cost, limits), never kernels or views.
 *   entry.ts  `export default defineModule(meta, { run, View, roofline?, ceilings? })`: loaded lazily.
 *   bench.ts  `export const suite: BenchSuite` (optional): found by the bench runner by folder.
 *   thumb.tsx `export default function Thumb()` (optional): the gallery drawing for its scenarios, SVG
 *             shapes in a 120×64 viewBox (the shell draws the frame and the background).
 * The shell finds these with import.meta.glob; nothing is registered anywhere else.
 *
 * A view gets everything it needs as props (LabViewProps) and imports only ui/, kernels/, sim/,
 * workers/ and gpu/ types: never app/ or store/.
 */
import type { ComponentType } from 'react';
import type { GpuInfo } from '../gpu/device';
import type { GpuRuntime } from '../gpu/runtime';
import type { Ceilings } from '../kernels/ceilings/ceilings';
import type { MeasuredModelCost } from '../sim/serving/measured';
import type { ParamGroups, ParamNotice, ParamSchema, ParamsOf } from './schema';

// ---------------------------------------------------------------------------------------------
// Typed parameters: the value type of each key is derived from the schema declared `as const`.
// ParamType (int/number → number, enum → the union of its values, bool → boolean) and
// ParamsOf<typeof meta.schema> live in schema.ts beside the specs (so the validator can return
// them without an import cycle) and are re-exported here.
export type { ParamType, ParamsOf } from './schema';

// ---------------------------------------------------------------------------------------------
// Run context and results.

export interface LabRunContext {
  /** The GPU runtime; null for labs that run without WebGPU (or when it is missing). */
  runtime: GpuRuntime | null;
  signal: AbortSignal;
  /** Progress of long runs, 0..1, with a short text ("tile 3 of 12"). */
  progress(fraction: number, text?: string): void;
  /**
   * A partial result while the run goes on (the rows or points finished so far, in the run's own
   * result type): the shell shows it at once, still marked running, so a long run on a slow adapter
   * shows something real within seconds. Absent where nobody watches (bench, jobs, tests).
   */
  partial?(data: unknown): void;
}

/** What a lab needs from the GPU: 'required' labs show the no-WebGPU page; 'optional' ones degrade. */
export type GpuNeed = 'required' | 'optional' | 'none';

export type RunStatus = 'idle' | 'running' | 'done' | 'error' | 'cancelled';

/** Where a replayed result came from (a scenario's recording, shown when WebGPU is missing). */
export interface ReplaySource {
  /** The adapter the recording was measured on; every replayed view names it. */
  adapter: string;
  recordedAt: string;
  scenario: string;
  /** True when the simulation part ran live here and only the GPU part is replayed. */
  partial: boolean;
  /** The recording device could not run the values as set and ran these clamps instead (its notices). */
  clamped?: string[];
}

export interface LabResult<T = unknown> {
  status: RunStatus;
  data: T | null;
  error: string | null;
  /** The parameters the data was measured with; a mismatch with the current ones marks it stale. */
  paramsKey: string | null;
  progress: number;
  progressText: string;
  /** True while `data` is a partial result of the run in flight (LabRunContext.partial). */
  partial?: boolean;
  /** Set when `data` was replayed from a scenario's recording because WebGPU is missing here. */
  replay?: ReplaySource | null;
}

/**
 * A lab's auxiliary jobs, declared by the lab: job name → the type its job resolves to, e.g.
 * `interface TilingJobs { sweep: SweepResult; trace: GpuTrace }`. The view's props and actions are
 * typed by it (`jobs.sweep.data` is a SweepResult, `runJob('sweep', ...)` must return one), so no
 * view casts a job's data. Labs without jobs keep the default (any name, unknown data).
 * (`object`, not Record<string, unknown>, so a declared interface, which has no index signature, fits.)
 */
export type JobMap = object;

/** Any job name with unknown data: the default for labs that declare no jobs, and the shell's view of them. */
export type AnyJobs = Record<string, unknown>;

/** The state of each declared job by name; a job that has never run has no slot yet. */
export type JobSlots<J extends JobMap = AnyJobs> = { readonly [K in keyof J]?: LabResult<J[K]> };

/** A measured kernel run, plotted on the shared roofline. */
export interface RooflinePoint {
  /** Stable per lab/kernel/variant/size, so a re-run replaces its point instead of adding one. */
  id: string;
  lab: string;
  kernel: string;
  variant: string;
  /** Problem size in words ("N = 16 M", "1024³"). */
  size: string;
  flops: number;
  bytes: number;
  ms: number;
  adapter: string;
}

// ---------------------------------------------------------------------------------------------
// The eager half.

export interface LabMeta<S extends ParamSchema = ParamSchema> {
  /** The one id: folder name, `?lab=` value, bench `--lab` value and scenario topic. */
  id: string;
  title: string;
  /** Position in the navigation (ascending). */
  order: number;
  summary: string;
  gpu: GpuNeed;
  schema: S;
  /** Titled groups of the schema's controls (each spec names one with `group`); see ParamGroup. */
  groups?: ParamGroups;
  /**
   * When the lab runs by itself: 'change' (default) on open and after every parameter change,
   * 'open' only when opened, 'never' only from the Run button (long or live runs).
   */
  autoRun?: 'change' | 'open' | 'never';
  /**
   * Who draws the Run button: 'shell' (default, the run bar) or 'view', when the view has its own
   * that must do more than run (the workbench saves the editor first). The bar then keeps Stop,
   * Share and Embed, so a page never shows two run buttons that do different things.
   */
  runButton?: 'shell' | 'view';
  /** Clamp values the device cannot run (buffer sizes, workgroup memory); each change gets a notice. */
  clampToDevice?(values: ParamsOf<S>, info: GpuInfo): { values: ParamsOf<S>; notices: ParamNotice[] };
}

/** Declares a lab's meta with its schema's literal types kept (no `as const` needed at the call). */
export function defineLab<const S extends ParamSchema>(meta: LabMeta<S>): LabMeta<S> {
  return meta;
}

// ---------------------------------------------------------------------------------------------
// The lazy half: what the shell hands a view, and what a module declares.

/** What the shell knows about the device, for views that show or compare against it. */
export interface DeviceContext {
  status: 'idle' | 'acquiring' | 'ready' | 'unavailable' | 'lost' | 'recovering';
  info: GpuInfo | null;
  /** Measured roofs of this device (quick probe, or the device lab's full run); null until known. */
  ceilings: Ceilings | null;
  /** Every lab's roofline points measured in this session (for views that draw the roofline). */
  points: RooflinePoint[];
}

export interface LabActions<S extends ParamSchema = ParamSchema, J extends JobMap = AnyJobs> {
  /** Runs the lab's `run` with the current parameters (cancelling a run in flight). */
  run(): void;
  /** Cancels the lab's run in flight, if any. */
  cancel(): void;
  /** Validates, clamps, stores and mirrors into the URL, exactly as a control edit does. */
  setParams(patch: Partial<{ [K in keyof ParamsOf<S>]: ParamsOf<S>[K] | string }>): void;
  /**
   * Runs an auxiliary job (a sweep, a peer comparison) with its own result slot, progress and
   * cancel; a new job of the same name cancels the old one. Its state arrives in `props.jobs[name]`.
   * `key` marks the job's result stale when it differs from a later call's key.
   */
  runJob<K extends keyof J & string>(
    name: K,
    job: (ctx: LabRunContext) => Promise<J[K]>,
    opts?: { key?: string },
  ): void;
  cancelJob(name: keyof J & string): void;
  /**
   * Destroys the GPU device, as a driver reset or a crash would; the shell's runtime acquires a new
   * one and re-runs what was in flight (the device lab's "Simulate device loss" shows this).
   */
  loseDevice(): void;
}

export interface LabViewProps<S extends ParamSchema = ParamSchema, R = unknown, J extends JobMap = AnyJobs> {
  meta: LabMeta<S>;
  params: ParamsOf<S>;
  result: LabResult<R>;
  /** True when `result` was measured with other parameters than the current ones. */
  stale: boolean;
  /** Auxiliary jobs started with `actions.runJob`, by name, typed by the lab's JobMap. */
  jobs: JobSlots<J>;
  device: DeviceContext;
  variant: 'page' | 'embed';
  actions: LabActions<S, J>;
  /**
   * The latest model step costs a lab measured (LabModule.measuredModel: the Serve lab's), kept by
   * the shell across reloads, so another lab (serving) can simulate with them; forget() drops them.
   */
  measuredModel?: { cost: MeasuredModelCost | null; forget(): void };
}

export interface LabModule<S extends ParamSchema = ParamSchema, R = unknown, J extends JobMap = AnyJobs> {
  /** DOM-free: usable from the app, tests and the bench alike. */
  run(ctx: LabRunContext, params: ParamsOf<S>): Promise<R>;
  View: ComponentType<LabViewProps<S, R, J>>;
  /**
   * The roofline points a result contributes; the shell stores and plots them (no view pushes
   * points). A new result's points replace the lab's earlier ones, unless `keepEarlierPoints`.
   * `adapter` is this device's name, or the recording's adapter for a replayed result.
   */
  roofline?(result: R, params: ParamsOf<S>, adapter: string): RooflinePoint[];
  /** Keep points of earlier results (other sizes) beside the new ones; a point with the same id is still replaced. */
  keepEarlierPoints?: boolean;
  /** Device roofs measured by a result (the device lab): they replace the startup probe's. */
  ceilings?(result: R): Ceilings | null;
  /** A served model's measured step costs (the Serve lab): the shell keeps the latest for every view. */
  measuredModel?(result: R, adapter: string): MeasuredModelCost | null;
}

/**
 * Ties a module to its meta so its run and View are checked against the schema's types; the View's
 * props declare the lab's jobs (LabViewProps<typeof meta.schema, Result, Jobs>).
 */
export function defineModule<S extends ParamSchema, R, J extends JobMap = AnyJobs>(
  _meta: LabMeta<S>,
  mod: LabModule<S, R, J>,
): LabModule<S, R, J> {
  return mod;
}
