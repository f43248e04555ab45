// The package's node entry is CommonJS inside a "type": "module" package; the ES build works everywhere.
import { WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';
import type { Exercise } from '../exercise';
import type { StorageVar } from './instrument';

/** What the checker needs to know about the user's kernel, read from its declarations. */
export interface KernelShape {
  workgroupSize: [number, number, number];
  storage: (StorageVar & { access: 'read' | 'read_write' })[];
  /** Binding numbers of uniform buffers the kernel declares. */
  uniforms: number[];
}

const SCALAR_OF: Record<string, string> = { f32: 'f32', u32: 'u32', i32: 'i32' };

function scalarOf(format: { name: string; format?: { name: string } | null } | null | undefined): string | undefined {
  if (!format) return undefined;
  if (SCALAR_OF[format.name]) return format.name;
  // vec4<f32> / vec4f: a vector of the binding's element type reads the same bytes four at a time.
  const m = /^vec[234](?:<(\w+)>|([fiu]))?$/.exec(format.name);
  if (m) return m[1] ?? (m[2] ? { f: 'f32', i: 'i32', u: 'u32' }[m[2]] : format.format?.name);
  return undefined;
}

/**
 * Checks the kernel's bindings against the exercise's fixed ones and returns its shape. Mistakes
 * come back as sentences the student can act on ("binding 1 (y) must be read_write").
 */
export function reflectKernel(code: string, ex: Exercise): KernelShape {
  let r: WgslReflect;
  try {
    r = new WgslReflect(code);
  } catch (e) {
    throw new Error(`Could not analyse the kernel's declarations: ${(e as Error).message}`, { cause: e });
  }
  const entry = r.entry.compute.find((f) => f.name === 'main');
  if (!entry)
    throw new Error('The kernel needs a compute entry point named main: @compute @workgroup_size(...) fn main(...).');
  const ws = entry.workgroupSize;
  if (!ws || ws.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(
      '@workgroup_size must be literal numbers or const values (not override), so the checker can size the grid.',
    );
  const storage: KernelShape['storage'] = [];
  for (const s of r.storage) {
    if (s.group !== 0)
      throw new Error(`${s.name} is in @group(${s.group}); this exercise binds everything in @group(0).`);
    const spec = ex.bindings.find((b) => b.binding === s.binding);
    if (!spec)
      throw new Error(
        `@binding(${s.binding}) (${s.name}) is not one of this exercise's bindings: ${ex.bindings.map((b) => `${b.binding} = ${b.name}`).join(', ')}.`,
      );
    const type = s.type as unknown as {
      name: string;
      isArray: boolean;
      format?: { name: string; format?: { name: string } | null } | null;
      stride: number;
      count: number;
    };
    if (!type.isArray) throw new Error(`${s.name} must be declared as an array (array<${spec.type}>).`);
    const scalar = scalarOf(type.format);
    if (scalar !== spec.type)
      throw new Error(
        `${s.name} holds ${spec.type} values; declare it as array<${spec.type}> (or a vector of ${spec.type}), not array<${type.format?.name ?? '?'}>.`,
      );
    const access = s.access === 'read' ? 'read' : 'read_write';
    if (spec.role !== 'input' && access === 'read')
      throw new Error(`${s.name} is written by the kernel; declare it var<storage, read_write>.`);
    storage.push({ name: s.name, binding: s.binding, elemBytes: type.stride || 4, count: type.count || 0, access });
  }
  const uniforms: number[] = [];
  for (const u of r.uniforms) {
    if (u.group !== 0 || u.binding !== ex.params.binding)
      throw new Error(
        `The only uniform is @group(0) @binding(${ex.params.binding}) var<uniform> p: ${ex.params.struct}.`,
      );
    // A struct that differs from the exercise's would silently read the wrong sizes.
    const members = u.members ?? [];
    members.forEach((m, i) => {
      const f = ex.params.fields[i];
      if (!f || m.name !== f.name || m.type.name !== f.type)
        throw new Error(
          `The uniform's struct must be ${ex.params.struct}: field ${i + 1} is ${m.name}: ${m.type.name}${f ? `, expected ${f.name}: ${f.type}` : ', one too many'}.`,
        );
    });
    uniforms.push(u.binding);
  }
  const out = ex.bindings.find((b) => b.role === 'output');
  if (out && !storage.some((s) => s.binding === out.binding))
    throw new Error(`The kernel never declares its output ${out.name} (@binding(${out.binding})).`);
  return { workgroupSize: ws as [number, number, number], storage, uniforms };
}
