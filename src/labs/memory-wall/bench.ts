import { kernelRow, type BenchRow, type BenchSuite } from '../../bench/types';
import { median, spread, type TimingOptions } from '../../gpu/timing';
import {
  activationCost,
  ACTIVATION_TOLERANCE,
  activationReference,
  createActivationInputs,
  inputArray,
  prepareActivation,
  trafficRatio,
  type ActivationVariant,
} from '../../kernels/activation';
import { prepareCopy } from '../../kernels/ceilings/host';
import { COPY_TOLERANCE, copyPattern } from '../../kernels/ceilings/reference';
import {
  compareOutputs,
  measureChecked,
  measureKernel,
  type CheckSpec,
  type KernelMeasurement,
} from '../../kernels/measure';
import type { PreparedKernel } from '../../kernels/types';
import { totalBytes } from '../../kernels/types';

const LAB = 'memory-wall';
const H = 4096;
/** Rounds interleave the implementations, so a load spike on the machine hits all of them alike. */
const ROUNDS = 3;
const SAMPLES_PER_ROUND = 3;
const VARIANTS: ActivationVariant[] = ['unfused', 'fused', 'fused_vec4'];

interface Stats {
  medianMs: number;
  spreadMs: number;
  samplesMs: number[];
  timing: 'timestamp' | 'wallclock';
}

function stats(samples: number[], timing: Stats['timing']): Stats {
  return { medianMs: median(samples), spreadMs: spread(samples), samplesMs: samples, timing };
}

function rates(ms: number, bytes: number, flops: number) {
  return { gbPerS: bytes / (ms * 1e6), gflopPerS: flops / (ms * 1e6) };
}

/**
 * The epilogue chain at 16 M elements (1 M on software adapters: SwiftShader is a CPU shared with
 * other work, where 4 M took over three minutes for the suite):
 * our three variants, our copy kernel over the same N floats as the bandwidth yardstick, and the
 * same chain as TensorFlow.js ops on its WebGPU backend. Every implementation's output is checked
 * against the CPU reference before it is timed.
 */
export const suite: BenchSuite = {
  lab: LAB,
  title: 'Memory wall: bias + GELU + residual, unfused vs fused vs fused vec4 vs tfjs',
  async *run(ctx) {
    const n = ctx.software ? 1 << 20 : 1 << 24;
    const params = { n, h: H, ...(ctx.software ? { note: 'software adapter: N = 1 M instead of 16 M' } : {}) };
    const minimum = activationCost('fused', n, H);
    const minBytes = totalBytes(minimum);
    const rt = ctx.runtime;

    ctx.progress(`N = ${n}, H = ${H}: uploading inputs`);
    const inputs = await createActivationInputs(rt, { n, h: H }, 1);
    const kernels = new Map<string, PreparedKernel>();
    // Each of ours is checked by measureChecked in round 0 (then only timed in later rounds).
    const checks = new Map<string, CheckSpec>();
    const errors = new Map<string, number>();
    try {
      for (const v of VARIANTS) {
        const k = await prepareActivation(rt, v, inputs);
        kernels.set(v, k);
        checks.set(v, { label: `${v}, N = ${n}`, tolerance: ACTIVATION_TOLERANCE, compare: () => k.compare() });
      }
      const pattern = copyPattern(n);
      kernels.set('copy', await prepareCopy(rt, n, pattern));
      checks.set('copy', { label: `copy, ${n} floats`, tolerance: COPY_TOLERANCE, reference: pattern.subarray(0, n) });

      // The peer runs on its own device (tfjs requests one), on the same adapter.
      ctx.progress('loading tfjs (webgpu backend)');
      const { loadTfjs, prepareTfjsEpilogue } = await import('../../peers/tfjs');
      const peer = await loadTfjs();
      const x = inputArray('x', 1, n);
      const bias = inputArray('bias', 1, H);
      const residual = inputArray('residual', 1, n);
      const want = activationReference(x, bias, residual, H);
      const peerOp = prepareTfjsEpilogue(peer, x, bias, residual, n / H, H);
      try {
        // The peer by the same metric: recorded with its row (its bytes are not ours to count).
        errors.set('tfjs', compareOutputs(await peerOp.read(), want).maxAbs);
        const samples = new Map<string, number[]>();
        let peerTiming: Stats['timing'] = 'wallclock';
        let ourTiming: Stats['timing'] = 'wallclock';
        for (let round = 0; round < ROUNDS; round++) {
          const opts: TimingOptions = { warmup: round === 0 ? 2 : 0, samples: SAMPLES_PER_ROUND };
          for (const [name, k] of kernels) {
            ctx.progress(`round ${round + 1}/${ROUNDS}: ${name}`);
            let m: KernelMeasurement;
            if (round === 0) {
              const checked = await measureChecked(rt, k, { ...checks.get(name)!, timing: opts });
              errors.set(name, checked.check.maxAbs);
              m = checked;
            } else m = await measureKernel(rt.device, k, opts);
            ourTiming = m.timing;
            samples.set(name, [...(samples.get(name) ?? []), ...m.samplesMs]);
          }
          ctx.progress(`round ${round + 1}/${ROUNDS}: tfjs`);
          const t = await peerOp.time(opts);
          peerTiming = t.timing;
          samples.set('tfjs', [...(samples.get('tfjs') ?? []), ...t.samplesMs]);
        }

        const copy = kernels.get('copy')!;
        const cs = stats(samples.get('copy')!, ourTiming);
        const copyRates = rates(cs.medianMs, totalBytes(copy.cost), 0);
        yield kernelRow(
          { lab: LAB, kernel: 'copy', variant: 'vec4', impl: 'ours', params: { ...params, floats: n } },
          { ...cs, ...copyRates, bytesMoved: totalBytes(copy.cost), flops: 0 },
          ctx.adapter,
          {
            effectiveGBps: copyRates.gbPerS,
          },
        );
        for (const v of VARIANTS) {
          const k = kernels.get(v)!;
          const s = stats(samples.get(v)!, ourTiming);
          const bytes = totalBytes(k.cost);
          yield kernelRow(
            { lab: LAB, kernel: 'epilogue', variant: v, impl: 'ours', params },
            { ...s, ...rates(s.medianMs, bytes, k.cost.flops), bytesMoved: bytes, flops: k.cost.flops },
            ctx.adapter,
            {
              // Minimum bytes (the fused model) over time: what the chain achieves, whatever it moves.
              effectiveGBps: minBytes / (s.medianMs * 1e6),
              maxAbsError: errors.get(v),
            },
          );
        }
        const ps = stats(samples.get('tfjs')!, peerTiming);
        yield kernelRow(
          {
            lab: LAB,
            kernel: 'epilogue',
            variant: 'tf ops (unfused)',
            impl: `@tensorflow/tfjs-backend-webgpu@${peer.version}`,
            params,
          },
          { ...ps, ...rates(ps.medianMs, minBytes, minimum.flops), bytesMoved: minBytes, flops: minimum.flops },
          ctx.adapter,
          {
            effectiveGBps: minBytes / (ps.medianMs * 1e6),
            maxAbsError: errors.get('tfjs'),
            bytesBasis: 'minimum (fused cost model); tfjs moves more',
          },
        );
      } finally {
        peerOp.dispose();
      }
    } finally {
      for (const k of kernels.values()) k.dispose();
      inputs.dispose();
    }
  },
  summarize(rows: BenchRow[]) {
    const find = (variant: string, impl = 'ours') =>
      rows.find((r) => r.variant === variant && (impl === 'ours' ? r.impl === 'ours' : r.impl !== 'ours'));
    const copy = rows.find((r) => r.kernel === 'copy');
    const unfused = find('unfused');
    const fused = find('fused');
    const vec4 = find('fused_vec4');
    const peer = find('tf ops (unfused)', 'peer');
    if (!copy || !unfused || !fused || !vec4) return ['incomplete run: no ratios'];
    const n = Number(vec4.params.n);
    const h = Number(vec4.params.h);
    const eff = (r: BenchRow) => Number(r.effectiveGBps);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const lines = [
      `copy kernel (ours, ${n} floats): ${copy.gbPerS.toFixed(2)} GB/s`,
      `fused+vec4 effective bandwidth: ${eff(vec4).toFixed(2)} GB/s = ${pct(eff(vec4) / copy.gbPerS)} of our copy kernel (target on a real GPU: ≥ 80%)`,
      `fused (scalar) effective bandwidth: ${eff(fused).toFixed(2)} GB/s = ${pct(eff(fused) / copy.gbPerS)} of copy`,
      `fused vs unfused: ${(unfused.medianMs / fused.medianMs).toFixed(2)}x faster (target on a real GPU: ≥ 2x); fused+vec4 vs unfused: ${(unfused.medianMs / vec4.medianMs).toFixed(2)}x`,
      `traffic ratio unfused/fused (cost model, exact): (28N + 4H)/(12N + 4H) = ${trafficRatio(n, h).toFixed(6)}`,
      `max abs error vs CPU reference: unfused ${unfused.maxAbsError}, fused ${fused.maxAbsError}, fused+vec4 ${vec4.maxAbsError}${peer ? `, tfjs ${peer.maxAbsError}` : ''}`,
    ];
    if (peer) {
      const best = Math.min(fused.medianMs, vec4.medianMs);
      lines.push(
        `peer ratio tfjs / ours: tfjs ${peer.medianMs.toFixed(3)} ms vs fused ${fused.medianMs.toFixed(3)} ms = ${(peer.medianMs / fused.medianMs).toFixed(2)}x (fused+vec4: ${(peer.medianMs / vec4.medianMs).toFixed(2)}x); target ≥ 1: ${peer.medianMs >= best ? 'met' : 'NOT met'} (timing: ours ${fused.timing}, tfjs ${peer.timing})`,
      );
    } else lines.push('peer (tfjs) row missing');
    return lines;
  },
};
