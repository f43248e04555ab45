import { useMemo } from 'react';
import { bytesPerWeight, SHORT_LABELS } from '../../kernels/quant';
import {
  bestGamma,
  expectedTokens,
  monotoneTimes,
  simulateSpeculative,
  speedup,
  speedupByBatch,
  type TimedRows,
} from '../../sim/speculative';
import { ChartFrame } from '../../ui/ChartFrame';
import { fmtBytes, fmtGBps, fmtGflops, fmtMs, fmtPct, fmtRatio } from '../../ui/format';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { LabSections } from '../../ui/Section';
import type { LabRunContext, LabViewProps } from '../../labkit/contract';
import type { meta } from './meta';
import { BandwidthBars } from './BandwidthBars';
import { FeatureBuilds } from './FeatureBuilds';
import { PeerPanel } from './PeerPanel';
import { PEER_JOB } from './peerJob';
import {
  runSweep,
  SWEEP_M,
  type DecodeParams,
  type DecodeResult,
  type DecodeJobs,
  type DecodeRow,
  type SweepResult,
} from './run';
import { ModelDecodeTable, ModelPicker } from './ModelDecodeTable';
import { ModelShapes } from './ModelShapes';
import { SpecChart } from './SpecChart';
import { SweepChart } from './SweepChart';
import './decode.css';
import { decodeGuardOf } from './guard';
import { GuardNote } from '../../ui/GuardNote';

type Props = LabViewProps<typeof meta.schema, DecodeResult, DecodeJobs>;

const BATCHES = [1, 2, 4, 8, 16, 32, 64];
const MC_ITERATIONS = 4000;

function fmtErr(e: number): string {
  if (!Number.isFinite(e)) return 'NaN/∞';
  return e === 0 ? '0' : e < 1e-3 ? e.toExponential(1) : fmtPct(e, 2);
}

function sweepKey(p: DecodeParams): string {
  return `${p.N}x${p.K}g${p.group}`;
}

export function DecodeView(props: Props) {
  const { params, result, stale, jobs, device, actions } = props;
  const data = result.data;
  const sweepJob = jobs.sweep;
  const sweep = sweepJob?.data ?? null;
  const sweepFits = sweep && sweep.N === params.N && sweep.K === params.K && String(sweep.group) === params.group;
  const copyGBps = device.ceilings?.copy.gbPerS ?? null;
  const fmaGflops = device.ceilings?.fma.gflopPerS ?? null;
  const f32 = data?.rows.find((r) => r.variant === 'f32');
  const int4 = data?.rows.find((r) => r.variant === 'int4');

  const columns = useMemo<Column<DecodeRow>[]>(
    () => [
      {
        key: 'format',
        label: 'Weights',
        render: (r) => (
          <strong title={r.label}>
            {SHORT_LABELS[r.variant]}
            {r.awqAlpha !== null && r.awqAlpha > 0 ? ' (AWQ)' : ''}
          </strong>
        ),
        value: (r) => r.variant,
      },
      { key: 'bits', label: 'Bits/weight', render: (r) => r.bitsPerWeight.toFixed(3), value: (r) => r.bitsPerWeight },
      { key: 'time', label: 'Time', unit: 'median', render: (r) => fmtMs(r.medianMs), value: (r) => r.medianMs },
      {
        key: 'speedup',
        label: 'vs f32',
        render: (r) => (f32 ? fmtRatio(f32.medianMs / r.medianMs) : '—'),
        value: (r) => (f32 ? f32.medianMs / r.medianMs : ''),
      },
      {
        key: 'eff',
        label: 'Effective BW',
        unit: copyGBps ? '% of copy' : 'W+x+y once',
        render: (r) => (
          <span className="hbm">
            {fmtGBps(r.effectiveGBps)}
            {copyGBps ? ` (${fmtPct(r.effectiveGBps / copyGBps, 0)})` : ''}
          </span>
        ),
        value: (r) => r.effectiveGBps,
      },
      {
        key: 'gflops',
        label: 'Compute',
        render: (r) => <span className="compute">{fmtGflops(r.gflopPerS)}</span>,
        value: (r) => r.gflopPerS,
      },
      {
        key: 'kerr',
        label: 'Kernel error',
        unit: 'vs dequantized',
        render: (r) => fmtErr(r.kernelError),
        value: (r) => r.kernelError,
      },
      {
        key: 'qerr',
        label: 'Quantization error',
        unit: 'RMS vs f32 weights',
        render: (r) => fmtErr(r.quantErrorRms),
        value: (r) => r.quantErrorRms,
      },
    ],
    [f32, copyGBps],
  );

  // Speculative decoding: T(M) of the int4 kernel from the sweep when it matches this layer, else
  // the two points the run measured (M = 1 and γ+1).
  const timed: TimedRows[] = useMemo(() => {
    if (sweepFits)
      return monotoneTimes(sweep!.points.filter((p) => p.variant === 'int4').map((p) => ({ M: p.M, ms: p.medianMs })));
    if (!data?.verify) return [];
    return monotoneTimes([
      { M: 1, ms: data.verify.t1 },
      { M: data.verify.gamma + 1, ms: data.verify.tVerify },
    ]);
  }, [sweep, sweepFits, data?.verify]);
  const maxMeasuredRows = timed.reduce((m, p) => Math.max(m, p.M), 0);
  const spec = useMemo(() => {
    if (timed.length < 2) return null;
    const curve = speedupByBatch(timed, params.alpha, params.gamma, params.draftCost, BATCHES);
    const atBatch = speedupByBatch(timed, params.alpha, params.gamma, params.draftCost, [params.batch])[0];
    const mc = simulateSpeculative({
      alpha: params.alpha,
      gamma: params.gamma,
      c: params.draftCost,
      v: atBatch.v,
      batch: params.batch,
      iterations: MC_ITERATIONS,
      seed: 1,
    });
    const best = bestGamma(
      params.alpha,
      params.draftCost,
      (g) => speedupByBatch(timed, params.alpha, g, params.draftCost, [params.batch])[0].v,
      15,
    );
    return { curve, atBatch, mc, best };
  }, [timed, params.alpha, params.gamma, params.draftCost, params.batch]);
  const paper = speedup(params.alpha, params.gamma, params.draftCost, 1);

  const runSweepJob = () =>
    actions.runJob('sweep', (ctx: LabRunContext) => runSweep(ctx, params), { key: sweepKey(params) });
  const sweepRunning = sweepJob?.status === 'running';
  const bpw = {
    f32: 4,
    int8: bytesPerWeight('int8', params.K, null),
    int4: bytesPerWeight('int4', params.K, Number(params.group)),
  };
  const crossover = sweepFits ? crossoverM(sweep!) : null;

  return (
    <LabSections
      picture={
        <>
          {data ? (
            <ChartFrame
              title={`Bytes per weight → time: y = x·Wᵀ, W ${data.N}×${data.K}, M = ${data.M}`}
              name="decode-bandwidth"
            >
              <BandwidthBars rows={data.rows} copyGBps={copyGBps} />
            </ChartFrame>
          ) : (
            <p className="muted">
              {result.status === 'running'
                ? `Measuring… ${result.progressText}`
                : 'Run the lab to measure the five weight formats on this GPU.'}
            </p>
          )}
          <ChartFrame
            title="Sweep M = 1..64: where int4 stops paying"
            name="decode-sweep"
            actions={
              sweepRunning ? (
                <button type="button" className="btn btn-small" onClick={() => actions.cancelJob('sweep')}>
                  Cancel sweep ({Math.round((sweepJob?.progress ?? 0) * 100)} %)
                </button>
              ) : (
                <button type="button" className="btn btn-small" onClick={runSweepJob}>
                  {sweepFits ? 'Sweep again' : `Sweep M = ${SWEEP_M.join(', ')}`}
                </button>
              )
            }
          >
            {sweepFits ? (
              <SweepChart
                points={sweep!.points}
                copyGBps={copyGBps}
                fmaGflops={fmaGflops}
                bytesPerWeight={bpw}
                N={sweep!.N}
                K={sweep!.K}
              />
            ) : (
              <p className="muted decode-empty">
                {sweepRunning
                  ? `Sweeping… ${sweepJob?.progressText ?? ''}`
                  : sweepJob?.error
                    ? `Sweep failed: ${sweepJob.error}`
                    : 'Times f32, int8 and int4 at each M on this layer (every point checked against the CPU first). The speculative-decoding chart below then uses these times.'}
              </p>
            )}
          </ChartFrame>
          <ChartFrame
            title={`Speculative decoding: speedup vs batch (α = ${params.alpha}, γ = ${params.gamma}, c = ${params.draftCost})`}
            name="decode-speculative"
          >
            {spec ? (
              <SpecChart measured={spec.curve} paper={paper} maxMeasuredRows={maxMeasuredRows} />
            ) : (
              <p className="muted decode-empty">Needs the run’s int4 timings at M = 1 and M = γ+1.</p>
            )}
          </ChartFrame>
        </>
      }
      results={
        <>
          {data ? (
            <div className="decode-summary" role="status">
              {f32 && int4 ? (
                <span>
                  int4 vs f32 at M = {data.M}: <strong>{fmtRatio(f32.medianMs / int4.medianMs)}</strong> faster for{' '}
                  {fmtRatio(f32.bytesPerWeight / int4.bytesPerWeight)} fewer weight bytes
                </span>
              ) : null}
              {data.verify ? (
                <span>
                  Verification cost ratio v = T(M = {data.verify.gamma + 1}) / T(M = 1) ={' '}
                  <strong>{data.verify.v.toFixed(2)}</strong> (int4, measured)
                </span>
              ) : null}
              {crossover ? <span>{crossover}</span> : null}
            </div>
          ) : null}
          <ResultsTable
            caption={
              data
                ? `W ${data.N}×${data.K} (f32: ${fmtBytes(data.N * data.K * 4)}), M = ${data.M}, int4 g${data.group}, ${data.adapter}`
                : 'Results'
            }
            name="decode"
            columns={columns}
            rows={data?.rows ?? []}
            stale={stale}
            rowKey={(r) => r.variant}
          />
          {data ? (
            <p className="muted decode-note">
              Effective bandwidth: W (with its scales), x and y moved once, divided by the median time.
            </p>
          ) : null}
          {data?.awq.length ? (
            <p className="decode-note decode-awq">
              AWQ scale search ({data.awq[0].rowsSearched} output channels, 16 calibration rows, α on an 11-point grid):{' '}
              {data.awq.map((a) => (
                <span key={a.variant}>
                  {a.variant} α = {a.alpha.toFixed(1)}: output error {fmtErr(a.rtnError)} (round-to-nearest) →{' '}
                  <strong>{fmtErr(a.awqError)}</strong> (AWQ).{' '}
                </span>
              ))}
              Errors are relative RMS on held-out activations at {data.checkedColumns} sampled channels (float64 on the
              CPU).
            </p>
          ) : null}
          {data ? <FeatureBuilds rows={data.features} M={data.M} software={data.software} /> : null}
          {device.status === 'ready' ? <PeerPanel params={params} job={jobs[PEER_JOB]} actions={actions} /> : null}
          <section className="decode-model" aria-label="A catalog model at its own layer shapes">
            <h3>A real model’s layers: bytes per token, and the kernels at its shapes</h3>
            <ModelPicker params={params} actions={actions} />
            <ModelShapes params={params} actions={actions} jobs={jobs} device={device} />
            <ModelDecodeTable params={params} />
          </section>
          {spec ? (
            <div className="decode-scroll">
              <table className="decode-spec-table">
                <caption>Speculative decoding at b = {params.batch}</caption>
                <tbody>
                  <tr>
                    <th scope="row">Tokens per verification</th>
                    <td>
                      closed form {expectedTokens(params.alpha, params.gamma).toFixed(3)}; Monte Carlo{' '}
                      {spec.mc.tokensPerStep.toFixed(3)} ± {spec.mc.stdError.toFixed(3)} (
                      {MC_ITERATIONS.toLocaleString('en-US')} seeded verifications × b)
                    </td>
                  </tr>
                  <tr>
                    <th scope="row">Verification cost v</th>
                    <td>
                      T({spec.atBatch.rows} rows) / T({params.batch} rows) = {spec.atBatch.v.toFixed(2)}{' '}
                      {spec.atBatch.rows > maxMeasuredRows
                        ? '(extrapolated past the largest measured M)'
                        : '(measured; times made non-decreasing in M)'}
                    </td>
                  </tr>
                  <tr>
                    <th scope="row">Speedup</th>
                    <td>
                      <strong>{fmtRatio(spec.atBatch.speedup)}</strong> with measured v; {fmtRatio(paper)} by Leviathan
                      et al.’s formula (v = 1)
                    </td>
                  </tr>
                  <tr>
                    <th scope="row">Best γ here</th>
                    <td>
                      γ = {spec.best.gamma} ({fmtRatio(spec.best.speedup)})
                    </td>
                  </tr>
                </tbody>
              </table>
            </div>
          ) : null}
          <GuardNote message={data ? decodeGuardOf(data) : null} />
          {data?.software ? (
            <p className="muted">
              This adapter is SwiftShader, a CPU: the kernels are checked exactly as on a GPU, but their times are a
              CPU’s, which is not memory-bound the way a GPU is. The int4/f32 ratio and the crossover only mean
              something on a real GPU.
            </p>
          ) : null}
        </>
      }
      explanation={<Explanation />}
    />
  );
}

/** The sweep's crossover in words: the first M where int4 is no faster than f32 (within 5 %). */
function crossoverM(s: SweepResult): string | null {
  const at = (v: string, M: number) => s.points.find((p) => p.variant === v && p.M === M)?.medianMs;
  const ms = [...new Set(s.points.map((p) => p.M))].sort((a, b) => a - b);
  const ratios = ms.map((M) => ({ M, r: (at('f32', M) ?? NaN) / (at('int4', M) ?? NaN) }));
  const stop = ratios.find((x) => x.r < 1.05);
  const first = ratios[0];
  if (!first || !Number.isFinite(first.r)) return null;
  return stop
    ? `int4 over f32: ${fmtRatio(first.r)} at M = ${first.M}, no gain from M = ${stop.M} (measured sweep).`
    : `int4 over f32: ${fmtRatio(first.r)} at M = ${first.M}, still ${fmtRatio(ratios[ratios.length - 1].r)} at M = ${ratios[ratios.length - 1].M} (measured sweep).`;
}

function Explanation() {
  return (
    <>
      <p>
        Generating one token multiplies a single activation row by every weight matrix of the model: a{' '}
        <strong>GEMV</strong>. Each weight is read once and used for one multiply-add (2 FLOPs), so the{' '}
        <strong>arithmetic intensity</strong> is about 0.5 FLOP per weight byte for f32 (1 for f16, 3.9 for int4 in
        groups of 128) and the step runs at the speed of memory, not of the ALUs. Two ways out: move fewer bytes per
        weight (<strong>quantization</strong>), or do more work per byte by putting more rows through the same weights
        (batching, and <strong>speculative decoding</strong>).
      </p>
      <p>
        The five kernels share one structure: a workgroup owns four output channels, its 64 invocations read 16-byte
        vec4 units of the weight rows side by side (coalesced), <strong>dequantize in registers</strong> (f16:{' '}
        <code>unpack2x16float</code>; int8: sign-extend, scale per channel after the sum; int4: shift, mask, subtract
        the zero point, multiply by the group’s f16 scale) and reduce over K in workgroup memory. Only the bytes per
        weight differ: 4, 2, 1 + 4/K, 0.5 + 2/g, 0.5 + 3/g. Every kernel is checked against a float64 reference of its{' '}
        <em>dequantized</em> weights (its own error, ~1e-7) and of the original weights (the error quantization costs
        you); the instrumented builds count exactly the bytes of the cost model (test/kernels/quant.test.ts).
      </p>
      <p>
        Two more builds need optional WebGPU features and are offered only where the adapter reports them. With{' '}
        <strong>subgroups</strong>, the f32 kernel sums its K partials with <code>subgroupAdd</code> in registers (one
        small workgroup-memory step across subgroups remains), for any subgroup size (SwiftShader’s is 4, NVIDIA’s 32).
        With <strong>shader-f16</strong>, the f16 kernel multiplies in f16 instead of widening to f32 first (twice the
        rate on GPUs with packed half math), summing in f32. Both move the same bytes as their standard twin, so on a
        memory-bound GEMV any gain comes from fewer instructions, not less traffic
        (test/kernels/quant-features.test.ts).
      </p>
      <p>
        <strong>AWQ</strong> (Lin et al. 2024): a few input channels carry activations 10–100× larger than the rest
        (Dettmers et al. 2022), so their weights’ rounding errors dominate the output. Scaling those columns of W up by
        s before rounding (and the activations down by s, folded into the previous op) protects them; s = mean|x|^α with
        α searched on a calibration batch. Here 1 % of channels are 20× larger. Weight-only formats (
        <strong>W8A16, W4A16</strong>) still multiply in 16 bits; <strong>W8A8</strong> (SmoothQuant, FP8) quantizes
        activations too and runs on 8-bit tensor cores, which helps when the step is compute-bound (large batches), not
        at batch 1.
      </p>
      <p>
        <strong>A real model</strong> (the section under the results): pick a catalog model or paste its config.json,
        and the lab lists every weight matrix one token reads (attention or MLA projections, the MLP or the routed and
        shared experts, the output head) at its own N × K, with the bytes per token at each format and the
        bandwidth-bound tokens per second on the chosen GPU. On demand it runs the kernels above at each of those shapes,
        divided on this device by the smallest factor that fits (N and K alike, so the aspect is kept) and says by how
        much.
      </p>
      <p>
        <strong>Speculative decoding</strong> (Leviathan et al. 2023): a small draft model proposes γ tokens, the target
        verifies all of them in one pass (a GEMM with γ+1 rows) and keeps the accepted prefix plus one token: (1 −
        α^(γ+1)) / (1 − α) tokens per pass when each draft is accepted with probability α. The paper assumes the
        verification costs one ordinary step (v = 1), true while the GEMM is memory-bound; the lab measures v on this
        GPU. With b sequences the verification has b·(γ+1) rows: once that passes the compute crossover, v approaches
        γ+1 and the gain vanishes, which is why serving systems turn speculation down at high load. The Monte Carlo
        draws every acceptance with a seeded generator and agrees with the closed form (test/sim/speculative.test.ts).
      </p>
    </>
  );
}
