import type { ComponentType } from 'react';
import type { GpuInfo } from '../gpu/device';
import type { GpuRuntime } from '../gpu/runtime';
import type { ParamNotice, ParamSchema, ParamValues } from './schema';

export type Topic = 'device' | 'memory-wall' | 'tiling' | 'attention' | 'kv-cache' | 'dataloader' | 'workbench';

export interface LabRunContext {
  /** The GPU runtime; null for labs that run without WebGPU (or when it is missing). */
  runtime: GpuRuntime | null;
  signal: AbortSignal;
  /** Progress of long runs, 0..1, with a short text ("tile 3 of 12"). */
  progress(fraction: number, text?: string): void;
}

/** What a lab needs from the GPU: 'required' labs show the no-WebGPU page; 'optional' ones degrade. */
export type GpuNeed = 'required' | 'optional' | 'none';

/**
 * The eager, small half of a lab: identity, parameter schema and device clamps. It must not import
 * kernels, WGSL or views, so the gallery and URL validation load without them.
 */
export interface LabMeta {
  id: string;
  title: string;
  topic: Topic;
  summary: string;
  gpu: GpuNeed;
  schema: ParamSchema;
  /**
   * When the lab runs by itself: 'change' (default) on open and after every parameter change,
   * 'open' only when opened, 'never' only from the Run button (long or live runs).
   */
  autoRun?: 'change' | 'open' | 'never';
  /** Clamp values the device cannot run (buffer sizes, workgroup memory); each change gets a notice. */
  clampToDevice?(values: ParamValues, info: GpuInfo): { values: ParamValues; notices: ParamNotice[] };
}

export interface LabViewProps {
  meta: LabMeta;
}

/** The lazy half: the run function (DOM-free, usable from tests and the bench) and the view. */
export interface LabModule<R = unknown> {
  run(ctx: LabRunContext, params: ParamValues): Promise<R>;
  View: ComponentType<LabViewProps>;
}

export interface LabEntry extends LabMeta {
  load(): Promise<LabModule>;
}
