import f16Wgsl from '../../../shaders/quant/f16.wgsl?raw';
import f32Wgsl from '../../../shaders/quant/f32.wgsl?raw';
import int4Wgsl from '../../../shaders/quant/int4.wgsl?raw';
import int4ZpWgsl from '../../../shaders/quant/int4_zp.wgsl?raw';
import int8Wgsl from '../../../shaders/quant/int8.wgsl?raw';
import type { OverrideConstants } from '../../gpu/pipelines';
import type { GemvShape, QuantVariant } from './types';

const SOURCES: Record<QuantVariant, string> = { f32: f32Wgsl, f16: f16Wgsl, int8: int8Wgsl, int4: int4Wgsl, 'int4-zp': int4ZpWgsl };

/**
 * WGSL text and override constants for one variant and split. Workgroup size, group size and
 * instrumentation are override constants; register and workgroup array sizes cannot be, so the
 * `const X: u32 = …u;` lines are rewritten (and nothing else).
 */
export function gemvSource(variant: QuantVariant, shape: GemvShape, group: number | null, instrumented: boolean): { code: string; constants: OverrideConstants } {
  let code = SOURCES[variant];
  const sizes = { ROWS: shape.rows, M_TILE: shape.mTile, ACC: shape.rows * shape.mTile, PARTIALS: shape.wg * shape.rows * shape.mTile };
  for (const [name, value] of Object.entries(sizes)) {
    const line = new RegExp(`^const ${name}: u32 = \\d+u;`, 'm');
    if (!line.test(code)) throw new Error(`quant shader ${variant} has no line "const ${name}: u32 = …u;" to size`);
    code = code.replace(line, `const ${name}: u32 = ${value}u;`);
  }
  const constants: OverrideConstants = { WG: shape.wg, INSTRUMENTED: instrumented };
  if (variant === 'int4' || variant === 'int4-zp') constants.GROUP = group ?? 32;
  return { code, constants };
}
