import countersWgsl from '../../shaders/common/counters.wgsl?raw';
import type { OverrideConstants, PipelineRequest } from '../gpu/pipelines';

/**
 * The one way a kernel's WGSL is specialised for a run.
 *
 * - Override constants (`override TILE_M: u32 = 16;`) for everything WGSL allows: tile sizes,
 *   workgroup sizes, flags. Pipelines are cached by (text, constants), so a new value costs a
 *   pipeline, not a recompile of the module text.
 * - `arraySizes` only where a const is required: private and some workgroup arrays need a size
 *   fixed when the module is created. Each name must appear in the file as exactly one line
 *   `const NAME: u32 = <digits>u;`, which is rewritten; nothing else in the text changes.
 * - Shared code: `libraries` (WGSL function files a kernel calls) are appended after the kernel.
 * - Instrumentation: shaders/common/counters.wgsl is appended (so compiler line numbers still
 *   match the kernel file) and INSTRUMENTED is set from `instrumented`.
 */
export interface KernelSource {
  /** The kernel file's text (a `?raw` import). */
  code: string;
  /**
   * Shared WGSL the kernel calls (e.g. shaders/quant/reduce.wgsl), appended after it in order,
   * before the counters, so the compiler's line numbers still match the kernel file.
   */
  libraries?: readonly string[];
  /** Pipeline label: "<kernel>/<variant>"; instrumented builds get "+counters". */
  label: string;
  constants?: OverrideConstants;
  arraySizes?: Record<string, number>;
  entryPoint?: string;
}

export function specialise(src: KernelSource, opts: { instrumented?: boolean } = {}): PipelineRequest {
  const instrumented = Boolean(opts.instrumented);
  const code = setArraySizes(src.code, src.arraySizes ?? {}, src.label);
  return {
    code: [code, ...(src.libraries ?? []), countersWgsl].join('\n'),
    label: `${src.label}${instrumented ? '+counters' : ''}`,
    entryPoint: src.entryPoint,
    constants: { ...src.constants, INSTRUMENTED: instrumented },
  };
}

/** Rewrites `const NAME: u32 = …u;` lines; a missing line is an error (the kernel and host disagree). */
export function setArraySizes(code: string, sizes: Record<string, number>, label = 'shader'): string {
  let out = code;
  for (const [name, value] of Object.entries(sizes)) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`${label}: array size ${name} must be a whole number ≥ 1 (got ${value}).`);
    const line = new RegExp(`^const ${name}: u32 = \\d+u;`, 'm');
    if (!line.test(out)) throw new Error(`${label}: the shader has no line "const ${name}: u32 = …u;" to size`);
    out = out.replace(line, `const ${name}: u32 = ${value}u;`);
  }
  return out;
}
