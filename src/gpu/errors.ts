/** One compiler message, with 1-based line and column as `getCompilationInfo` reports them. */
export interface ShaderDiagnostic {
  type: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  column: number;
}

export class ShaderCompileError extends Error {
  constructor(
    readonly label: string,
    readonly diagnostics: ShaderDiagnostic[],
  ) {
    const first = diagnostics.find((d) => d.type === 'error') ?? diagnostics[0];
    super(first ? `${label}:${first.line}:${first.column}: ${first.message}` : `${label}: shader failed to compile`);
    this.name = 'ShaderCompileError';
  }
}

/** A validation, out-of-memory or internal error caught by an error scope. */
export class GpuScopeError extends Error {
  constructor(
    readonly kind: 'validation' | 'out-of-memory' | 'internal',
    message: string,
    readonly during: string,
  ) {
    super(
      kind === 'out-of-memory'
        ? `Out of GPU memory while ${during}: ${message}`
        : `GPU ${kind} error while ${during}: ${message}`,
    );
    this.name = 'GpuScopeError';
  }
}

export type UnavailableReason = 'no-webgpu' | 'no-adapter' | 'device-request-failed';

export class GpuUnavailableError extends Error {
  constructor(
    readonly reason: UnavailableReason,
    message: string,
  ) {
    super(message);
    this.name = 'GpuUnavailableError';
  }
}

export class DeviceLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeviceLostError';
  }
}

/** A parameter combination the device cannot run, said in numbers the user can act on. */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

export function isAbortError(e: unknown): boolean {
  return e instanceof DOMException ? e.name === 'AbortError' : (e as { name?: string })?.name === 'AbortError';
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
