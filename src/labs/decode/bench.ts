import { kernelRow, type BenchRow, type BenchSuite } from '../../bench/types';
import { COUNTER_MAX } from '../../gpu/counters';
import { runSteps } from '../../gpu/dispatch';
import { errorMessage } from '../../gpu/errors';
import { timeSteps, type TimingOptions } from '../../gpu/timing';
import { ErrorMeter, checkKernel } from '../../kernels/measure';
import {
  bytesPerWeight,
  dequantize,
  errorStats,
  featureBuild,
  featureOffers,
  featureReferenceInput,
  gemvReference,
  pickColumns,
  prepareGemv,
  QUANT_VARIANTS,
  sampleColumns,
  uploadWeights,
  VARIANT_LABELS,
  type GemvBuild,
  type PreparedGemv,
  type QuantVariant,
  type WeightBuffers,
} from '../../kernels/quant';
import { loadOrt, type PreparedPeerOp } from '../../peers';
import { prepareOrtMatMulNBits } from '../../peers/ortNBits';
import { roundPlan, timeInRounds, type Contender } from '../../bench/rounds';
import { formatInputs, isInt4, layerInputs, makeFormat, makeLayer, type Format } from './layer';
import { toNBits } from './peer';
import { KERNEL_TOLERANCE } from './run';

const LAB = 'decode';
const GROUP = 128;

interface Sizes {
  N: number;
  K: number;
  Ms: number[];
  peerMs: number[];
}

/**
 * A Llama-style 4096×4096 projection on GPUs; 256×512 and M = 1, 5 on software adapters
 * (SwiftShader is a CPU: a 512×512 GEMV took ~100 ms there on our loaded machine and the suite at
 * M = 1, 5, 64 over four minutes, and its times say nothing about a GPU anyway).
 */
function sizes(software: boolean): Sizes {
  return software
    ? { N: 256, K: 512, Ms: [1, 5], peerMs: [1] }
    : { N: 4096, K: 4096, Ms: [1, 2, 4, 5, 8, 16, 32, 64], peerMs: [1, 5, 16] };
}

interface Entry {
  name: string;
  variant: QuantVariant | 'peer';
  /** A build needing an optional feature (subgroups, shader-f16), else standard. */
  build: GemvBuild;
  M: number;
  kernel?: PreparedGemv;
  peer?: PreparedPeerOp;
  kernelError: number;
  quantErrorRms: number;
  countedBytesRead: number | null;
}

/**
 * Every weight format × M on one synthetic layer, plus onnxruntime-web's MatMulNBits on the same
 * int4 weights: each checked against the float64 reference of its dequantized weights first, then
 * all timed in interleaved rounds (medians). The peer is timed by wall clock (ORT has no
 * per-kernel timestamps), so our int4 GEMV is also timed by wall clock for the peer ratio.
 */
export const suite: BenchSuite = {
  lab: LAB,
  title: 'Decode: weight-only quantized GEMV/GEMM (f32, f16, int8, int4, int4+zp) × M vs onnxruntime-web MatMulNBits',
  async *run(ctx) {
    const rt = ctx.runtime;
    const { N, K, Ms, peerMs } = sizes(ctx.software);
    const layer = makeLayer(N, K);
    const maxM = Math.max(...Ms);
    const x = layerInputs(layer, maxM);
    const cols = sampleColumns(N, 64);
    const uploaded: { f: Format; wb: WeightBuffers }[] = [];
    const entries: Entry[] = [];
    const peerProblems: string[] = [];
    const offers = featureOffers(rt.info.features);
    try {
      for (const variant of QUANT_VARIANTS) {
        ctx.progress(`${VARIANT_LABELS[variant]}: quantizing ${N}×${K}`);
        const f = makeFormat(layer, variant, GROUP, false);
        const wb = await uploadWeights(rt, f.packed);
        uploaded.push({ f, wb });
        // The standard kernel, then the feature builds on these weights this adapter offers
        // (subgroup reduction on f32, f16 arithmetic on f16); the others print a skipped row.
        const builds: GemvBuild[] = [
          'standard',
          ...offers.filter((o) => o.offered && o.build.weights === variant).map((o) => o.build.build),
        ];
        for (const build of builds)
          for (const M of Ms) {
            const xM = formatInputs(f, x.subarray(0, M * K), M, K);
            const kernel = await prepareGemv(rt, wb, M, { x: xM, build });
            const want = gemvReference(featureReferenceInput(build, xM), dequantize(f.packed, cols), M, cols.length, K);
            let picked: Float64Array = new Float64Array(0);
            const name = build === 'standard' ? variant : featureBuild(build).short;
            ctx.progress(`${name} M=${M}: check`);
            const check = await checkKernel(rt, kernel, {
              label: `decode/${name} M=${M}`,
              tolerance: build === 'standard' ? KERNEL_TOLERANCE : featureBuild(build).tolerance,
              async compare() {
                picked = pickColumns(await kernel.read(), M, N, cols);
                return new ErrorMeter().add(picked, want).result();
              },
            });
            const original = gemvReference(x.subarray(0, M * K), layer.w, M, N, K, cols);
            let countedBytesRead: number | null = null;
            if (M === 1 && kernel.cost.bytesRead <= COUNTER_MAX) {
              const counted = await prepareGemv(rt, wb, M, { x: xM, instrumented: true, build });
              try {
                counted.counters.reset();
                await runSteps(rt.device, counted.steps, 'count');
                countedBytesRead = (await counted.counters.read()).bytesRead;
              } finally {
                counted.dispose();
              }
            }
            entries.push({
              name: `${name} M=${M}`,
              variant,
              build,
              M,
              kernel,
              kernelError: check.error,
              quantErrorRms: errorStats(picked, original).relRms,
              countedBytesRead,
            });
          }
      }
      // The peer, on the symmetric int4 weights (MatMulNBits' default zero point is 8, as ours).
      const int4 = uploaded.find((u) => u.f.variant === 'int4')!;
      let version = '';
      for (const M of peerMs) {
        try {
          ctx.progress(`onnxruntime-web MatMulNBits M=${M}: load, compile, check`);
          const peer = await loadOrt();
          version = peer.version;
          const xM = x.slice(0, M * K);
          const op = await prepareOrtMatMulNBits(peer, xM, M, toNBits(int4.f.packed));
          const got = await op.read();
          const want = gemvReference(xM, dequantize(int4.f.packed, cols), M, cols.length, K);
          const err = errorStats(pickColumns(got, M, N, cols), want).relMax;
          if (!(err <= 1e-3)) {
            op.dispose();
            peerProblems.push(
              `MatMulNBits M=${M}: output differs from the reference (relative error ${err.toExponential(2)}); not timed`,
            );
            continue;
          }
          const original = gemvReference(xM, layer.w, M, N, K, cols);
          entries.push({
            name: `MatMulNBits M=${M}`,
            variant: 'peer',
            build: 'standard',
            M,
            peer: op,
            kernelError: err,
            quantErrorRms: errorStats(pickColumns(got, M, N, cols), original).relRms,
            countedBytesRead: null,
          });
        } catch (e) {
          peerProblems.push(`MatMulNBits M=${M}: ${errorMessage(e)}`);
        }
      }
      for (const p of peerProblems) ctx.progress(`peer: ${p}`);

      const flops = (M: number) => 2 * M * N * K;
      const plan = roundPlan(ctx.software, flops(maxM));
      // Our int4 GEMV timed by wall clock too, so the peer ratio compares like with like.
      const wallInt4 = entries.filter((e) => e.variant === 'int4' && peerMs.includes(e.M));
      const contenders: Contender[] = [
        ...entries.map((e) => ({
          name: e.name,
          async sample(opts: TimingOptions) {
            const t = e.kernel ? await timeSteps(rt.device, e.kernel.steps, opts) : await e.peer!.time(opts);
            return { ms: t.samplesMs[0], repeats: t.repeats, timing: t.timing };
          },
        })),
        ...wallInt4.map((e) => ({
          name: `${e.name} (wall clock)`,
          async sample(opts: TimingOptions) {
            const t = await timeSteps(rt.device, e.kernel!.steps, { ...opts, forceWallclock: true });
            return { ms: t.samplesMs[0], repeats: t.repeats, timing: t.timing };
          },
        })),
      ];
      const results = await timeInRounds(contenders, plan, (t) => ctx.progress(t));
      const rows = [...entries.map((e) => ({ e, wall: false })), ...wallInt4.map((e) => ({ e, wall: true }))];
      for (const [i, { e, wall }] of rows.entries()) {
        const r = results[i];
        const variant = e.variant === 'peer' ? 'int4' : e.variant;
        const bpw = bytesPerWeight(variant, K, isInt4(variant) ? GROUP : null);
        const compulsory = bpw * N * K + 4 * e.M * K + 4 * e.M * N;
        const f = flops(e.M);
        const base = {
          lab: LAB,
          kernel: e.M === 1 ? 'gemv' : 'gemm',
          variant:
            e.variant === 'peer'
              ? 'MatMulNBits int4'
              : wall
                ? `${e.variant} (wall clock)`
                : e.build !== 'standard'
                  ? featureBuild(e.build).short
                  : e.variant,
          impl: e.variant === 'peer' ? `onnxruntime-web@${version}` : 'ours',
          params: { N, K, M: e.M, ...(isInt4(variant) ? { group: GROUP } : {}) },
        };
        const bytesMoved = e.kernel ? e.kernel.cost.bytesRead + e.kernel.cost.bytesWritten : compulsory;
        const row = kernelRow(
          base,
          {
            medianMs: r.medianMs,
            spreadMs: r.spreadMs,
            gbPerS: bytesMoved / (r.medianMs * 1e6),
            gflopPerS: f / (r.medianMs * 1e6),
            bytesMoved,
            flops: f,
            timing: r.timing,
          },
          ctx.adapter,
          {
            bitsPerWeight: bpw * 8,
            effectiveGBps: compulsory / (r.medianMs * 1e6),
            compulsoryBytes: compulsory,
            kernelError: e.kernelError,
            quantErrorRms: e.quantErrorRms,
            bytesRead: e.kernel?.cost.bytesRead ?? null,
            countedBytesRead: wall ? null : e.countedBytesRead,
            rounds: plan.rounds,
            ...(e.build !== 'standard' ? { build: e.build, feature: featureBuild(e.build).feature } : {}),
            ...(e.variant === 'peer'
              ? { bytesBasis: 'compulsory (W + x + y once); ORT’s own loads are not counted' }
              : {}),
          },
        );
        yield row;
      }
      // Feature builds this adapter cannot run: one row each, saying why (never silently absent).
      for (const o of offers) {
        if (o.offered) continue;
        yield {
          lab: LAB,
          kernel: 'gemv',
          variant: o.build.short,
          impl: 'ours',
          params: { N, K, M: 1 },
          medianMs: NaN,
          spreadMs: NaN,
          gbPerS: NaN,
          gflopPerS: NaN,
          bytesMoved: NaN,
          flops: 2 * N * K,
          timing: 'wallclock',
          adapter: ctx.adapter,
          build: o.build.build,
          feature: o.build.feature,
          skipped: o.reason,
        } satisfies BenchRow;
      }
      if (peerProblems.length) {
        yield {
          lab: LAB,
          kernel: 'gemv',
          variant: 'MatMulNBits int4',
          impl: 'onnxruntime-web',
          params: { N, K, M: 1, group: GROUP },
          medianMs: NaN,
          spreadMs: NaN,
          gbPerS: NaN,
          gflopPerS: NaN,
          bytesMoved: NaN,
          flops: 2 * N * K,
          timing: 'wallclock',
          adapter: ctx.adapter,
          bitsPerWeight: 8 * bytesPerWeight('int4', K, GROUP),
          error: peerProblems.join('; '),
        } satisfies BenchRow;
      }
    } finally {
      for (const e of entries) {
        e.kernel?.dispose();
        e.peer?.dispose();
      }
      for (const u of uploaded) u.wb.dispose();
    }
  },
  summarize(rows) {
    const ours = (v: string, M: number) => rows.find((r) => r.impl === 'ours' && r.variant === v && r.params.M === M);
    const lines: string[] = [];
    const f32 = ours('f32', 1);
    const int4 = ours('int4', 1);
    if (f32 && int4) {
      lines.push(
        `int4/f32 at M = 1: ${(f32.medianMs / int4.medianMs).toFixed(2)}x faster (f32 ${f32.medianMs.toPrecision(3)} ms, int4 ${int4.medianMs.toPrecision(3)} ms; ${(32 / Number(int4.bitsPerWeight)).toFixed(2)}x fewer weight bytes); target on a real GPU: ≥ 3x${rows[0]?.adapter?.toString().includes('swiftshader') ? ' (this adapter is SwiftShader, a CPU: not a GPU figure)' : ''}`,
      );
    }
    const Ms = [...new Set(rows.filter((r) => r.impl === 'ours').map((r) => Number(r.params.M)))].sort((a, b) => a - b);
    const ratio = (v: string) =>
      Ms.map((M) => {
        const a = ours('f32', M);
        const b = ours(v, M);
        return a && b ? `M=${M} ${(a.medianMs / b.medianMs).toFixed(2)}x` : null;
      })
        .filter(Boolean)
        .join(', ');
    lines.push(`speedup over f32 by M: int4 ${ratio('int4')}; int8 ${ratio('int8')}; f16 ${ratio('f16')}`);
    for (const v of ['f32', 'f16', 'int8', 'int4', 'int4-zp']) {
      const r = ours(v, 1);
      if (r)
        lines.push(
          `${v} M=1: ${Number(r.bitsPerWeight).toFixed(3)} bits/weight, effective ${Number(r.effectiveGBps).toPrecision(3)} GB/s, kernel error ${Number(r.kernelError).toExponential(1)}, quantization error ${(Number(r.quantErrorRms) * 100).toFixed(2)} % RMS, counted bytes ${r.countedBytesRead === r.bytesRead ? '= cost model' : r.countedBytesRead === null ? 'not counted' : `${r.countedBytesRead} ≠ model ${r.bytesRead}`}`,
        );
    }
    const peers = rows.filter((r) => r.impl !== 'ours');
    const failed = peers.find((r) => typeof r.error === 'string');
    for (const p of peers.filter((r) => Number.isFinite(r.medianMs))) {
      const M = Number(p.params.M);
      const wall = ours('int4 (wall clock)', M);
      if (wall)
        lines.push(
          `int4 M=${M} vs ${p.impl} MatMulNBits (both wall clock): ours ${wall.medianMs.toPrecision(3)} ms, peer ${p.medianMs.toPrecision(3)} ms = ${(p.medianMs / wall.medianMs).toFixed(2)}x; goal ≥ 1: ${p.medianMs >= wall.medianMs ? 'met' : 'NOT met'}`,
        );
    }
    // Optional-feature builds against their standard twin (same weights, same bytes moved).
    for (const r of rows.filter((x) => x.impl === 'ours' && typeof x.build === 'string')) {
      if (typeof r.skipped === 'string') {
        lines.push(`${r.variant}: skipped: ${r.skipped}`);
        continue;
      }
      const fb = featureBuild(r.build as Exclude<GemvBuild, 'standard'>);
      const twin = ours(fb.weights, Number(r.params.M));
      if (twin)
        lines.push(
          `${r.variant} (${fb.feature}) M=${r.params.M}: ${r.medianMs.toPrecision(3)} ms vs ${fb.weights} ${twin.medianMs.toPrecision(3)} ms = ${(twin.medianMs / r.medianMs).toFixed(2)}x, kernel error ${Number(r.kernelError).toExponential(1)}, counted bytes ${r.countedBytesRead === r.bytesRead ? '= cost model' : r.countedBytesRead === null ? 'not counted' : `${r.countedBytesRead} ≠ model ${r.bytesRead}`}`,
        );
    }
    if (failed) lines.push(`peer: ${failed.error}`);
    if (!peers.length) lines.push('peer: no MatMulNBits row');
    return lines;
  },
};
