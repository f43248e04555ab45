import { useMemo } from 'react';
import { ChartFrame } from '../../ui/ChartFrame';
import { fmtGBps, fmtMs } from '../../ui/format';
import { GpuRuntime } from '../../gpu/runtime';
import { measureKernel } from '../../kernels/measure';
import {
  DEFAULT_LOSS_SCALE,
  checkCast,
  logNormalGradient,
  prepareCast,
  simulateLossScale,
  type CastStats,
  type FormatCounts,
} from '../../kernels/precision';
import { DEFAULT_TRAIN, globalBatch, initState, localGradient } from '../../sim/cluster/training';
import { histogram } from './precisionHist';
import { RangeChart } from './RangeChart';
import { ScalerChart } from './ScalerChart';
import type { ClusterJobs, ClusterViewProps } from './View';
import './PrecisionPanel.css';

/**
 * "Mixed precision": a real gradient tensor cast to fp16 and bf16 on the GPU (bit-exact against
 * the CPU reference), counting what underflows, goes subnormal or overflows with and without a
 * loss scale; and a dynamic loss scaler over simulated steps. Settings are local to the panel.
 */

type Source = 'lognormal' | 'mlp';

type Props = Pick<ClusterViewProps, 'params' | 'actions' | 'jobs'>;

export interface CastResult {
  source: Source;
  n: number;
  scale: number;
  plain: CastStats;
  scaled: CastStats;
  bitExactWords: number;
  medianMs: number;
  gbPerS: number;
  timing: string;
  adapter: string;
  software: boolean;
}

const JOB = 'precision-cast' satisfies keyof ClusterJobs;

/** The mini-cluster MLP's mean gradient at its first step (the same model the workers train). */
function mlpGradient(): Float32Array {
  const c = DEFAULT_TRAIN;
  const g = localGradient(c, initState(c).params, globalBatch(c, 0)).grad;
  return g.map((v) => v / c.batch);
}

function makeInput(source: Source, log2n: number): Float32Array {
  return source === 'mlp' ? mlpGradient() : logNormalGradient({ n: 2 ** log2n, seed: 1 });
}

// The cluster lab itself needs no GPU, so the shell hands its jobs no runtime; this panel opens
// its own device on first use (and keeps it for the page's life).
let ownRuntime: Promise<GpuRuntime> | null = null;
function runtime(): Promise<GpuRuntime> {
  ownRuntime ??= GpuRuntime.create({ label: 'cluster-precision' }).catch((e) => {
    ownRuntime = null;
    throw new Error(
      `The cast kernel needs WebGPU, which this browser did not provide (${e instanceof Error ? e.message : String(e)}). The loss-scale simulation below runs without it.`,
    );
  });
  return ownRuntime;
}

const pct = (x: number, of: number) => (of ? `${((100 * x) / of).toFixed(x && (100 * x) / of < 0.1 ? 3 : 1)}%` : '—');

export default function PrecisionPanel({ params, actions, jobs }: Props) {
  // Lab parameters shown in this panel (meta.ts, placement 'view'): they live in the URL.
  const source: Source = params.precSource;
  const log2n = params.precLog2n;
  const scaleLog2 = params.precScaleLog2;
  const K = params.precGrowth;
  const setSource = (v: Source) => actions.setParams({ precSource: v });
  const setLog2n = (v: number) => actions.setParams({ precLog2n: v });
  const setScaleLog2 = (v: number) => actions.setParams({ precScaleLog2: v });
  const setK = (v: number) => actions.setParams({ precGrowth: v });
  const job = jobs[JOB];
  const data = job?.data ?? null;

  const run = () =>
    actions.runJob(JOB, async (ctx) => {
      const rt = ctx.runtime ?? (await runtime());
      ctx.progress(0.1, 'generating the gradient');
      const input = makeInput(source, log2n);
      const k = await prepareCast(rt, input);
      try {
        ctx.progress(0.3, 'checking against the CPU reference, bit for bit');
        const plain = await checkCast(rt, k, input);
        k.setScale(2 ** scaleLog2);
        const scaled = await checkCast(rt, k, input);
        if (ctx.signal.aborted) throw ctx.signal.reason;
        ctx.progress(0.6, 'timing');
        const m = await measureKernel(rt.device, k);
        return {
          source,
          n: input.length,
          scale: 2 ** scaleLog2,
          plain: plain.stats,
          scaled: scaled.stats,
          bitExactWords: plain.check.checked + scaled.check.checked,
          medianMs: m.medianMs,
          gbPerS: m.gbPerS,
          timing: m.timing,
          adapter: rt.info.name,
          software: rt.info.software,
        };
      } finally {
        k.dispose();
      }
    });

  const hist = useMemo(
    () => histogram(makeInput(source, Math.min(log2n, 16)), 2 ** scaleLog2),
    [source, log2n, scaleLog2],
  );
  const scaler = useMemo(() => simulateLossScale({ ...DEFAULT_LOSS_SCALE, values: 1024, growthInterval: K }), [K]);
  const staleResult =
    data &&
    (data.source !== source || data.scale !== 2 ** scaleLog2 || (source === 'lognormal' && data.n !== 2 ** log2n));

  return (
    <section className="prec-panel" aria-labelledby="prec-title">
      <h3 id="prec-title">Mixed precision: what fp16 and bf16 do to a gradient</h3>
      <p className="cluster-caption">
        A WGSL kernel rounds every float32 gradient value (times the loss scale) to fp16 and to bf16,
        round-to-nearest-even in integer bit operations, and counts the values that become zero, subnormal or infinite.
        fp16 keeps 10 mantissa bits but only 5 exponent bits (about 6·10⁻⁸ … 65504); bf16 keeps float32’s 8 exponent
        bits and 7 mantissa bits. A loss scale S multiplies the loss, hence every gradient, before the backward pass,
        and divides it out in fp32 before the optimizer step (Micikevicius et al. 2018).
      </p>
      <div className="live-controls">
        <label className="live-field">
          <span>Gradient</span>
          <select value={source} onChange={(e) => setSource(e.target.value as Source)}>
            <option value="lognormal">Log-normal, 1e−10 … 1e2</option>
            <option value="mlp">The mini-cluster MLP’s first gradient</option>
          </select>
        </label>
        {source === 'lognormal' ? (
          <label className="live-field">
            <span>Values</span>
            <select value={log2n} onChange={(e) => setLog2n(Number(e.target.value))}>
              {[...new Set([14, 16, 18, 20, 22, log2n])]
                .sort((a, b) => a - b)
                .map((k) => (
                  <option key={k} value={k}>
                    2^{k} = {(2 ** k).toLocaleString('en-US')}
                  </option>
                ))}
            </select>
          </label>
        ) : null}
        <label className="live-field">
          <span>Loss scale S</span>
          <select value={scaleLog2} onChange={(e) => setScaleLog2(Number(e.target.value))} data-testid="prec-scale">
            {Array.from({ length: 25 }, (_, k) => (
              <option key={k} value={k}>
                2^{k} = {(2 ** k).toLocaleString('en-US')}
              </option>
            ))}
          </select>
        </label>
        {job?.status === 'running' ? (
          <button type="button" className="btn btn-stop" onClick={() => actions.cancelJob(JOB)}>
            Stop
          </button>
        ) : (
          <button type="button" className="btn btn-run" onClick={run} data-testid="prec-run">
            Cast on the GPU
          </button>
        )}
      </div>
      {job?.status === 'running' ? <p className="muted">{job.progressText}…</p> : null}
      {job?.status === 'error' ? (
        <div className="notice" role="alert">
          <p>{job.error}</p>
        </div>
      ) : null}

      <ChartFrame title={`|gradient × S| against fp16’s range (S = 2^${scaleLog2})`} name="cluster-fp16-range">
        <RangeChart hist={hist} />
        <p className="cluster-caption">
          Histogram of log₁₀|g·S| ({hist.total.toLocaleString('en-US')} values, computed here on the CPU). Red: becomes
          0 in fp16; amber: fp16 subnormal (fewer than 10 significant bits); dark red: overflows to ∞. bf16 covers the
          whole axis.
        </p>
      </ChartFrame>

      {data ? (
        <div className={staleResult ? 'prec-result stale' : 'prec-result'} data-testid="prec-result">
          <table className="live-table">
            <caption>
              Measured on {data.adapter}: {data.n.toLocaleString('en-US')} values
              {staleResult ? ' (for other settings; cast again)' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Format, scale</th>
                <th scope="col">→ 0</th>
                <th scope="col">subnormal</th>
                <th scope="col">→ ∞</th>
              </tr>
            </thead>
            <tbody>
              <CountRow label="fp16, S = 1" c={data.plain.fp16} of={data.plain.nonzero} />
              <CountRow label={`fp16, S = 2^${Math.log2(data.scale)}`} c={data.scaled.fp16} of={data.scaled.nonzero} />
              <CountRow label="bf16, S = 1" c={data.plain.bf16} of={data.plain.nonzero} />
              <CountRow label={`bf16, S = 2^${Math.log2(data.scale)}`} c={data.scaled.bf16} of={data.scaled.nonzero} />
            </tbody>
          </table>
          <p className="cluster-caption" data-testid="prec-bitexact">
            GPU output equals the CPU reference bit for bit on all {data.bitExactWords.toLocaleString('en-US')} words
            (both scales), and the GPU’s counts equal the reference’s. Cast speed:{' '}
            <strong data-testid="prec-gbps">{fmtGBps(data.gbPerS)}</strong> ({fmtMs(data.medianMs)}, {data.timing}{' '}
            timing; 8 bytes per value read + written)
            {data.software ? ' — on a software adapter (a CPU), so this speed says nothing about a GPU' : ''}.
          </p>
        </div>
      ) : null}

      <ChartFrame
        title={`Dynamic loss scaling over ${scaler.steps.length} simulated steps (K = ${K})`}
        name="cluster-loss-scale"
      >
        <ScalerChart run={scaler} />
        <div className="live-controls">
          <label className="live-field">
            <span>Grow after K clean steps</span>
            <select value={K} onChange={(e) => setK(Number(e.target.value))}>
              {[...new Set([5, 10, 20, 50, 100, K])]
                .sort((a, b) => a - b)
                .map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
            </select>
          </label>
        </div>
        <p className="cluster-caption">
          Red dots: a scaled gradient overflowed, so the step was skipped. Simulated (GradScaler’s rule: start at 2^16,
          halve and skip the step when a scaled gradient overflows fp16, double after K steps without overflow), on
          log-normal gradients whose median shrinks from 1e−4 to 1e−6 as training goes on. Skipped steps:{' '}
          <strong>{scaler.skipped}</strong>. Gradients lost to fp16 underflow:{' '}
          <strong>{(scaler.meanUnderflow * 100).toFixed(2)}%</strong> with the dynamic scale vs{' '}
          <strong>{(scaler.meanUnderflowUnscaled * 100).toFixed(2)}%</strong> with none. bf16 needs no scaler: its
          exponent range is float32’s.
        </p>
      </ChartFrame>
    </section>
  );
}

function CountRow({ label, c, of }: { label: string; c: FormatCounts; of: number }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>
        {c.underflow.toLocaleString('en-US')} <span className="muted">({pct(c.underflow, of)})</span>
      </td>
      <td>
        {c.subnormal.toLocaleString('en-US')} <span className="muted">({pct(c.subnormal, of)})</span>
      </td>
      <td>
        {c.overflow.toLocaleString('en-US')} <span className="muted">({pct(c.overflow, of)})</span>
      </td>
    </tr>
  );
}
