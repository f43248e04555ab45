import { ShaderCompileError, type ShaderDiagnostic } from './errors';
import { withErrorScopes } from './scopes';

export type OverrideConstants = Record<string, number | boolean>;

export interface PipelineRequest {
  code: string;
  label: string;
  entryPoint?: string;
  constants?: OverrideConstants;
}

/** Compiles WGSL and turns every compiler message into a diagnostic with line and column. */
export async function compileShader(device: GPUDevice, code: string, label: string): Promise<GPUShaderModule> {
  // The scope keeps the invalid-module validation error from surfacing as an uncaptured error;
  // the compilation info carries the same problem with its line and column.
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label, code });
  const info = await module.getCompilationInfo();
  const scopeError = await device.popErrorScope();
  const diagnostics: ShaderDiagnostic[] = info.messages.map((m) => ({
    type: m.type,
    message: m.message,
    line: m.lineNum,
    column: m.linePos,
  }));
  if (diagnostics.some((d) => d.type === 'error')) throw new ShaderCompileError(label, diagnostics);
  if (scopeError)
    throw new ShaderCompileError(label, [{ type: 'error', message: scopeError.message, line: 0, column: 0 }]);
  return module;
}

function hashString(s: string): string {
  // FNV-1a: cheap, stable, and collisions only cost a recompile-free wrong hit if the lengths match too.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${(h >>> 0).toString(16)}:${s.length}`;
}

export function pipelineKey(req: PipelineRequest): string {
  const constants = Object.entries(req.constants ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return `${hashString(req.code)}|${req.entryPoint ?? 'main'}|${JSON.stringify(constants)}`;
}

/** Compute pipelines keyed by shader text, entry point and override constants; one cache per device. */
export class PipelineCache {
  private readonly modules = new Map<string, Promise<GPUShaderModule>>();
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();

  constructor(readonly device: GPUDevice) {}

  get size(): number {
    return this.pipelines.size;
  }

  module(code: string, label: string): Promise<GPUShaderModule> {
    const key = hashString(code);
    let m = this.modules.get(key);
    if (!m) {
      m = compileShader(this.device, code, label);
      this.modules.set(key, m);
      m.catch(() => this.modules.delete(key));
    }
    return m;
  }

  compute(req: PipelineRequest): Promise<GPUComputePipeline> {
    const key = pipelineKey(req);
    let p = this.pipelines.get(key);
    if (!p) {
      p = this.build(req);
      this.pipelines.set(key, p);
      // A failed build must not poison the cache: the next request retries.
      p.catch(() => this.pipelines.delete(key));
    }
    return p;
  }

  private async build(req: PipelineRequest): Promise<GPUComputePipeline> {
    const module = await this.module(req.code, req.label);
    const constants = Object.fromEntries(
      Object.entries(req.constants ?? {}).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v]),
    );
    return withErrorScopes(this.device, `creating pipeline ${req.label}`, () =>
      this.device.createComputePipelineAsync({
        label: req.label,
        layout: 'auto',
        compute: { module, entryPoint: req.entryPoint ?? 'main', constants },
      }),
    );
  }
}
