import { createStorageBuffer, destroyAll, readFloat32, readUint32 } from '../../../gpu/buffers';
import { runSteps, type DispatchStep } from '../../../gpu/dispatch';
import { ShaderCompileError, errorMessage } from '../../../gpu/errors';
import { compileShader } from '../../../gpu/pipelines';
import type { GpuRuntime } from '../../../gpu/runtime';
import { withErrorScopes } from '../../../gpu/scopes';
import { timeSteps, type TimingOptions } from '../../../gpu/timing';
import type { Exercise } from '../exercise';
import { REFERENCES, type Buffers } from '../references';
import { compareOutputs, UNWRITTEN_BITS } from './compare';
import { loopVarWarnings } from './loopVars';
import { evaluate, type Scope } from './expr';
import { caseScope, elementCount, generateInput } from './inputs';
import { instrument, STATUS, STATUS_WORDS, WORKGROUP_TAG, workgroupArrays } from './instrument';
import { reflectKernel, type KernelShape } from './reflect';
import { caseLabel, type CaseReport, type CheckReport } from './report';

export interface CheckOptions {
  /** Time the kernel on the largest case (loop guards only, no counting); false skips it. */
  timing?: TimingOptions | false;
  /** Also count the starter kernel's traffic, for the "naive" bar. */
  naive?: boolean;
  /**
   * A dispatch still running after this long is abandoned: the device is destroyed (the runtime
   * acquires a new one) and the kernel is reported as too slow. The loop guard normally stops a
   * runaway kernel long before this.
   */
  timeLimitMs?: number;
  /** Sizes to run instead of the exercise's hidden cases (the bench's larger problem). */
  sizes?: Record<string, number>[];
  signal?: AbortSignal;
  progress?: (fraction: number, text: string) => void;
}

/** Barrier loops are guarded per loop rather than per invocation (see instrument.ts). */
export const BARRIER_LOOP_LIMIT = 1 << 10;

/** Kernels that blew the time limit; a re-run after device recovery reports them instead of hanging again. */
const quarantined = new Set<string>();
const naiveCache = new Map<string, number[]>();

class TimeLimitError extends Error {}

function empty(
  ex: Exercise,
  status: CheckReport['status'],
  message: string,
  extra: Partial<CheckReport> = {},
): CheckReport {
  return {
    exercise: ex.id,
    status,
    message,
    diagnostics: [],
    workgroupSize: null,
    cases: [],
    trafficAtTarget: false,
    timing: null,
    ...extra,
  };
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
}

/**
 * Runs a user's kernel on the exercise's hidden cases: compile (diagnostics with line and column),
 * check bindings, rewrite for counting and guarding, run every case against the CPU reference,
 * then time it. Never throws for anything the user wrote; the report says what went wrong.
 */
export async function checkKernel(
  rt: GpuRuntime,
  ex: Exercise,
  code: string,
  opts: CheckOptions = {},
): Promise<CheckReport> {
  const key = `${ex.id}\n${code}`;
  const limitMs = opts.timeLimitMs ?? 10_000;
  if (quarantined.has(key))
    return empty(
      ex,
      'timeout',
      `This kernel ran past the ${limitMs / 1000} s limit earlier and was stopped; change it before running again.`,
    );
  // After a reset (ours or the driver's) the runtime may still be acquiring the new device.
  await rt.ready();
  const device = rt.device;
  const progress = opts.progress ?? (() => undefined);

  progress(0, 'compiling');
  try {
    await compileShader(device, code, `workbench ${ex.id}`);
  } catch (e) {
    if (e instanceof ShaderCompileError) {
      const errors = e.diagnostics.filter((d) => d.type === 'error');
      const first = errors[0];
      const where =
        first && first.line > 0 ? `line ${first.line}, column ${first.column}: ${first.message}` : e.message;
      return empty(
        ex,
        'compile-error',
        `${errors.length} compile error${errors.length === 1 ? '' : 's'}; first at ${where}`,
        { diagnostics: e.diagnostics },
      );
    }
    throw e;
  }

  // Compiled: what the compiler accepts but may run differently from WGSL's rules (loopVars.ts).
  const warnings = loopVarWarnings(code);

  let shape: KernelShape;
  try {
    shape = reflectKernel(code, ex);
  } catch (e) {
    return empty(ex, 'invalid', errorMessage(e));
  }

  const limitProblem = deviceLimitProblem(device, shape);
  if (limitProblem) return empty(ex, 'invalid', limitProblem, { workgroupSize: shape.workgroupSize });

  const layouts = makeLayouts(device, shape);
  let pipeline: GPUComputePipeline;
  try {
    pipeline = await buildPipeline(
      device,
      instrument(code, {
        entry: 'main',
        storage: shape.storage,
        countTraffic: true,
        loopLimit: ex.loopLimit,
        barrierLoopLimit: BARRIER_LOOP_LIMIT,
      }),
      layouts,
      ex.id,
    );
  } catch (e) {
    const msg =
      e instanceof ShaderCompileError
        ? `The checker could not instrument this kernel (${errorMessage(e)}). Simplify the indexing of storage buffers and try again.`
        : `The kernel compiles but this device cannot run it: ${errorMessage(e)}`;
    return empty(ex, 'invalid', msg, { workgroupSize: shape.workgroupSize });
  }

  let naive: number[] | null = null;
  if (opts.naive && !opts.sizes) naive = await naiveTraffic(rt, ex);

  const sizesList = opts.sizes ?? ex.cases.sizes;
  const cases: CaseReport[] = [];
  let lastRun: CaseRun | null = null;
  const reference = REFERENCES[ex.reference];
  if (!reference) throw new Error(`exercise ${ex.id}: unknown reference ${ex.reference}`);
  for (let ci = 0; ci < sizesList.length; ci++) {
    checkAbort(opts.signal);
    const sizes = sizesList[ci];
    progress(0.1 + (0.8 * ci) / sizesList.length, `case ${ci + 1} of ${sizesList.length}: ${caseLabel(sizes)}`);
    const scope = caseScope(sizes, ex.derived);
    const inputs = makeInputs(ex, scope, ex.cases.seed + ci);
    let run: CaseRun;
    try {
      run = await withTimeLimit(prepareAndRun(device, ex, shape, layouts, pipeline, scope, inputs), limitMs);
    } catch (e) {
      if (e instanceof TimeLimitError) {
        quarantined.add(key);
        // Destroying the device is the only way to stop a dispatch; the runtime acquires a new one.
        device.destroy();
        return empty(
          ex,
          'timeout',
          `Case ${caseLabel(sizes)} ran past the ${limitMs / 1000} s limit; the GPU device was reset. Your code is kept: look for a loop that never ends.`,
          {
            workgroupSize: shape.workgroupSize,
            cases,
          },
        );
      }
      const msg = errorMessage(e);
      return empty(ex, 'invalid', `Case ${caseLabel(sizes)} could not run: ${msg}`, {
        workgroupSize: shape.workgroupSize,
        cases,
      });
    }
    const out = ex.bindings.find((b) => b.role === 'output')!;
    const expected = reference(inputs, scope);
    const dims = (out.shape ?? [out.length]).map((s) => evaluate(s, scope));
    const cmp = compareOutputs(run.output, expected, ex.tolerance, dims);
    const st = run.status;
    const oobAt = st[STATUS.oobBinding];
    const oobName =
      oobAt >= WORKGROUP_TAG
        ? `${workgroupArrays(code)[oobAt - WORKGROUP_TAG]?.name ?? '?'} (workgroup memory)`
        : (shape.storage.find((s) => s.binding === oobAt)?.name ?? `binding ${oobAt}`);
    const report: CaseReport = {
      label: caseLabel(sizes),
      sizes,
      pass: false,
      elements: expected.length,
      mismatches: cmp.mismatches,
      worst: cmp.worst ? { ...cmp.worst, got: cmp.worst.notWritten ? 'not written' : String(cmp.worst.got) } : null,
      maxAbsError: cmp.maxAbsError,
      bytesRead: st[STATUS.bytesRead],
      bytesWritten: st[STATUS.bytesWritten],
      targetRead: evaluate(ex.traffic.read, scope),
      targetWritten: evaluate(ex.traffic.write, scope),
      naiveBytes: naive ? naive[ci] : null,
      guardTrips: st[STATUS.guardTrips],
      oob:
        st[STATUS.oobCount] > 0
          ? {
              count: st[STATUS.oobCount],
              binding: oobName,
              index: st[STATUS.oobIndex],
              length: st[STATUS.oobLength],
            }
          : null,
    };
    report.pass = cmp.mismatches === 0 && !report.oob && report.guardTrips === 0;
    cases.push(report);
    if (report.guardTrips > 0) {
      run.dispose();
      return empty(
        ex,
        'timeout',
        `A loop ran past the iteration limit (${ex.loopLimit.toLocaleString('en-US')} per invocation, ${BARRIER_LOOP_LIMIT.toLocaleString('en-US')} per loop with a barrier) in case ${report.label}, so the checker stopped it. Your code is kept: check each loop's exit condition.`,
        { workgroupSize: shape.workgroupSize, cases },
      );
    }
    if (ci < sizesList.length - 1) run.dispose();
    else lastRun = run;
  }

  const failed = cases.filter((c) => !c.pass);
  let timing: CheckReport['timing'] = null;
  try {
    if (!failed.length && opts.timing !== false && lastRun) {
      progress(0.92, 'timing');
      timing = await timeKernel(
        device,
        ex,
        code,
        shape,
        layouts,
        lastRun,
        opts.timing ?? {},
        cases[cases.length - 1].label,
      );
    }
  } finally {
    lastRun?.dispose();
  }

  const trafficAtTarget = cases.every((c) => c.bytesRead + c.bytesWritten <= c.targetRead + c.targetWritten);
  const oob = cases.find((c) => c.oob);
  let message: string;
  if (!failed.length)
    message = trafficAtTarget
      ? 'All cases pass, with global-memory traffic at the target.'
      : 'All cases pass. Traffic is above the target: see the bars for where the extra bytes go.';
  else if (oob?.oob)
    message = `Out-of-bounds access: ${oob.oob.binding}[${oob.oob.index}] is past the end (length ${oob.oob.length}), ${oob.oob.count} time${oob.oob.count === 1 ? '' : 's'} in case ${oob.label}.`;
  else {
    const w = failed[0];
    message = `${failed.length} of ${cases.length} cases fail. First: ${w.label}, ${w.mismatches} wrong element${w.mismatches === 1 ? '' : 's'}${
      w.worst
        ? `; worst at index ${w.worst.index} (${w.worst.coords.join(', ')}): expected ${fmtNum(w.worst.expected)}, got ${w.worst.notWritten ? 'nothing (never written)' : fmtNum(Number(w.worst.got))}`
        : ''
    }.`;
    if (warnings.length) message += ` Line ${warnings[0].line}: ${warnings[0].message}`;
  }
  progress(1, 'done');
  return {
    exercise: ex.id,
    status: failed.length ? 'fail' : 'pass',
    message,
    diagnostics: warnings,
    workgroupSize: shape.workgroupSize,
    cases,
    trafficAtTarget,
    timing,
  };
}

function fmtNum(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x);
}

/** Limits a kernel can exceed while still compiling, said in numbers the student can act on. */
function deviceLimitProblem(device: GPUDevice, shape: KernelShape): string | null {
  const [x, y, z] = shape.workgroupSize;
  const l = device.limits;
  const n = x * y * z;
  if (n > l.maxComputeInvocationsPerWorkgroup)
    return `@workgroup_size(${x}, ${y}, ${z}) is ${n} invocations; this device allows ${l.maxComputeInvocationsPerWorkgroup} per workgroup.`;
  if (x > l.maxComputeWorkgroupSizeX || y > l.maxComputeWorkgroupSizeY || z > l.maxComputeWorkgroupSizeZ)
    return `@workgroup_size(${x}, ${y}, ${z}) exceeds this device's per-dimension limits (${l.maxComputeWorkgroupSizeX}, ${l.maxComputeWorkgroupSizeY}, ${l.maxComputeWorkgroupSizeZ}).`;
  return null;
}

interface Layouts {
  group0: GPUBindGroupLayout;
  group1: GPUBindGroupLayout;
  pipeline: GPUPipelineLayout;
}

/** Explicit layouts from the kernel's own declarations, so unused bindings never break bind groups. */
function makeLayouts(device: GPUDevice, shape: KernelShape): Layouts {
  const entries: GPUBindGroupLayoutEntry[] = shape.storage.map((s) => ({
    binding: s.binding,
    visibility: GPUShaderStage.COMPUTE,
    buffer: { type: s.access === 'read' ? 'read-only-storage' : 'storage' },
  }));
  for (const u of shape.uniforms)
    entries.push({ binding: u, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } });
  const group0 = device.createBindGroupLayout({ label: 'workbench user bindings', entries });
  const group1 = device.createBindGroupLayout({
    label: 'workbench status',
    entries: [{ binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } }],
  });
  return { group0, group1, pipeline: device.createPipelineLayout({ bindGroupLayouts: [group0, group1] }) };
}

async function buildPipeline(
  device: GPUDevice,
  code: string,
  layouts: Layouts,
  label: string,
): Promise<GPUComputePipeline> {
  const module = await compileShader(device, code, `workbench ${label} (instrumented)`);
  return withErrorScopes(device, `creating the ${label} pipeline`, () =>
    device.createComputePipelineAsync({
      label: `workbench ${label}`,
      layout: layouts.pipeline,
      compute: { module, entryPoint: 'main' },
    }),
  );
}

function makeInputs(ex: Exercise, scope: Scope, seed: number): Buffers {
  const out: Buffers = {};
  for (const b of ex.bindings) if (b.role === 'input') out[b.name] = generateInput(b, scope, seed);
  return out;
}

interface CaseRun {
  output: Float32Array;
  status: Uint32Array;
  step: DispatchStep;
  dispose(): void;
}

function paramsBuffer(device: GPUDevice, ex: Exercise, scope: Scope): GPUBuffer {
  const bytes = Math.max(16, Math.ceil((ex.params.fields.length * 4) / 16) * 16);
  const view = new DataView(new ArrayBuffer(bytes));
  ex.params.fields.forEach((f, i) => {
    const v = evaluate(f.value, scope);
    if (f.type === 'f32') view.setFloat32(i * 4, v, true);
    else view.setUint32(i * 4, v, true);
  });
  const buf = device.createBuffer({
    label: 'workbench params',
    size: bytes,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(buf, 0, view.buffer);
  return buf;
}

function gridFor(
  ex: Exercise,
  scope: Scope,
  wg: [number, number, number],
  maxPerDim: number,
): [number, number, number] {
  const s = { ...scope, 'wg.x': wg[0], 'wg.y': wg[1], 'wg.z': wg[2] };
  return ex.grid.map((e, i) => {
    const n = evaluate(e, s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`grid ${'xyz'[i]} = ${e} gives ${n}`);
    if (n > maxPerDim)
      throw new Error(
        `${n} workgroups in ${'xyz'[i]} exceeds this device's ${maxPerDim}; use a larger @workgroup_size`,
      );
    return n;
  }) as [number, number, number];
}

async function prepareAndRun(
  device: GPUDevice,
  ex: Exercise,
  shape: KernelShape,
  layouts: Layouts,
  pipeline: GPUComputePipeline,
  scope: Scope,
  inputs: Buffers,
): Promise<CaseRun> {
  const owned: GPUBuffer[] = [];
  try {
    const grid = gridFor(ex, scope, shape.workgroupSize, device.limits.maxComputeWorkgroupsPerDimension);
    const entries: GPUBindGroupEntry[] = [];
    let output: GPUBuffer | null = null;
    for (const s of shape.storage) {
      const spec = ex.bindings.find((b) => b.binding === s.binding)!;
      const n = elementCount(spec, scope);
      let buf: GPUBuffer;
      if (spec.role === 'input') buf = await createStorageBuffer(device, inputs[spec.name], spec.name);
      else if (spec.role === 'output')
        buf = await createStorageBuffer(device, new Uint32Array(n).fill(UNWRITTEN_BITS), spec.name);
      else buf = await createStorageBuffer(device, n * 4, spec.name);
      owned.push(buf);
      if (spec.role === 'output') output = buf;
      entries.push({ binding: s.binding, resource: { buffer: buf } });
    }
    if (shape.uniforms.length) {
      const p = paramsBuffer(device, ex, scope);
      owned.push(p);
      entries.push({ binding: ex.params.binding, resource: { buffer: p } });
    }
    const status = await createStorageBuffer(device, new Uint32Array(STATUS_WORDS), 'workbench status');
    owned.push(status);
    const bindGroups = await withErrorScopes(device, 'binding the buffers', () => [
      device.createBindGroup({ layout: layouts.group0, entries }),
      device.createBindGroup({ layout: layouts.group1, entries: [{ binding: 0, resource: { buffer: status } }] }),
    ]);
    const step: DispatchStep = { pipeline, bindGroups, workgroups: grid, label: ex.id };
    await withErrorScopes(device, 'running the kernel', () => runSteps(device, [step], `workbench ${ex.id}`));
    const out = ex.bindings.find((b) => b.role === 'output')!;
    const result = await readFloat32(device, output!, elementCount(out, scope));
    const st = await readUint32(device, status, STATUS_WORDS);
    return { output: result, status: st, step, dispose: () => destroyAll(owned) };
  } catch (e) {
    destroyAll(owned);
    throw e;
  }
}

async function withTimeLimit<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeLimitError(`over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Times the guard-only rewrite (counting atomics would distort the time) on the last case's buffers. */
async function timeKernel(
  device: GPUDevice,
  ex: Exercise,
  code: string,
  shape: KernelShape,
  layouts: Layouts,
  run: CaseRun,
  t: TimingOptions,
  label: string,
): Promise<CheckReport['timing']> {
  const guarded = instrument(code, {
    entry: 'main',
    storage: shape.storage,
    countTraffic: false,
    loopLimit: ex.loopLimit,
    barrierLoopLimit: BARRIER_LOOP_LIMIT,
  });
  const pipeline = await buildPipeline(device, guarded, layouts, `${ex.id}-timed`);
  const step: DispatchStep = { ...run.step, pipeline };
  const r = await timeSteps(device, [step], { warmup: 1, samples: 5, maxRepeats: 256, ...t });
  return { medianMs: r.medianMs, spreadMs: r.spreadMs, source: r.timing, case: label };
}

/** The starter kernel's bytes per case, counted once per exercise. */
async function naiveTraffic(rt: GpuRuntime, ex: Exercise): Promise<number[] | null> {
  const cached = naiveCache.get(ex.id);
  if (cached) return cached;
  const r = await checkKernel(rt, ex, ex.starter, { timing: false, naive: false });
  if (r.cases.length !== ex.cases.sizes.length) return null;
  const bytes = r.cases.map((c) => c.bytesRead + c.bytesWritten);
  naiveCache.set(ex.id, bytes);
  return bytes;
}
