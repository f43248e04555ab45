import { useMemo } from 'react';
import type { LabViewProps } from '../../labkit/contract';
import { ChartFrame } from '../../ui/ChartFrame';
import { LabSections } from '../../ui/Section';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { fmtCount, fmtFlops, fmtGflops, fmtMs, fmtPct } from '../../ui/format';
import { CurveChart } from './CurveChart';
import type { meta } from './meta';
import type { TrainSummary } from './run';
import { specOf } from './spec';
import { StepRoofline } from './StepRoofline';
import { StepSplit } from './StepSplit';
import { useTraining } from './useTraining';
import './train.css';
import { trainGuard } from './guard';
import { GuardNote } from '../../ui/GuardNote';

interface Row {
  key: string;
  label: string;
  value: string;
  source: string;
}

function safeSpec(p: Parameters<typeof specOf>[0]) {
  try {
    return specOf(p);
  } catch {
    return null;
  }
}

export function TrainView({ params, result, stale, device }: LabViewProps<typeof meta.schema, TrainSummary>) {
  const spec = useMemo(() => safeSpec(params), [params]);
  const opts = useMemo(
    () => ({ evalEvery: params.evalEvery, checkpointEvery: params.checkpointEvery }),
    [params.evalEvery, params.checkpointEvery],
  );
  const { state, run, pause, reset } = useTraining(spec, opts, params.backend, params.workers);
  const summary = result.data;
  const lastEval = state.evals.at(-1);
  const flopsPerToken = summary?.flops.total ?? 0;
  const achieved = state.tokensPerS && flopsPerToken ? (state.tokensPerS * flopsPerToken) / 1e9 : null;
  const onGpu = state.backend.startsWith('gpu');
  const peak = device.ceilings?.fma.gflopPerS ?? null;

  const rows: Row[] = [
    {
      key: 'params',
      label: 'Parameters N',
      value: summary ? fmtCount(summary.parameters) : '—',
      source: 'V·D + T·D + L·(12D² + 13D) + 2D (src/model/count.ts)',
    },
    {
      key: 'flops',
      label: 'Training FLOPs per token',
      value: summary
        ? `${fmtFlops(summary.flops.total)} (${fmtFlops(summary.flops.dense)} dense + ${fmtFlops(summary.flops.attention)} attention)`
        : '—',
      source: '6·N_matmul + 12·L·T·D (Kaplan et al. 2020; PaLM appendix B)',
    },
    { key: 'step', label: 'Step', value: spec ? `${state.step} / ${spec.steps}` : '—', source: 'optimizer steps done' },
    {
      key: 'loss',
      label: 'Training loss',
      value: state.last ? state.last.loss.toFixed(3) : '—',
      source: 'mean cross-entropy over the answer digits of the last batch, nats',
    },
    {
      key: 'heldout',
      label: 'Held-out loss',
      value: lastEval ? lastEval.loss.toFixed(3) : '—',
      source: `${spec?.evalExamples ?? 256} examples never trained on; ln V = ${Math.log(13).toFixed(3)} is a uniform guess`,
    },
    {
      key: 'acc',
      label: 'Held-out exact match',
      value: lastEval ? fmtPct(lastEval.accuracy) : '—',
      source: 'every answer digit right (= greedy decoding, see below)',
    },
    {
      key: 'tps',
      label: 'Tokens per second',
      value: state.tokensPerS ? fmtCount(Math.round(state.tokensPerS)) : '—',
      source: 'B·T per step over the last 20 steps, wall clock',
    },
    ...(spec?.mixed
      ? [
          {
            key: 'scale',
            label: 'Loss scale S',
            value: state.last?.mixed ? `2^${Math.log2(state.last.mixed.scale)}` : onGpu || !state.backend ? '—' : 'n/a',
            source: onGpu
              ? 'gradients × S rounded to fp16 by the cluster lab’s cast kernel (emulated with integer bit operations, bit-exact, whether or not the adapter has shader-f16; activations stay float32), read back exactly and unscaled by AdamW'
              : 'mixed precision runs in the GPU step only; the float64 reference ignores it',
          },
          {
            key: 'skipped',
            label: 'Steps skipped (overflow)',
            value: state.last?.mixed ? String(state.skipped) : '—',
            source:
              'a scaled gradient overflowed fp16 to ∞: AdamW left the weights alone and S halved (since this page opened the run)',
          },
          {
            key: 'underflow',
            label: 'Gradients lost to fp16',
            value: state.last?.mixed ? fmtPct(state.last.mixed.underflow / Math.max(1, state.last.mixed.nonzero)) : '—',
            source: 'nonzero gradients that became 0 in fp16 at this S, last step (the cast kernel’s counts)',
          },
        ]
      : []),
    {
      key: 'datawait',
      label: 'Data wait',
      value: state.last ? fmtMs(state.last.dataMs) : '—',
      source: `wall time the last step waited for its batch: ${state.data || 'the data source'}`,
    },
    {
      key: 'gflops',
      label: 'Achieved compute',
      value: achieved ? fmtGflops(achieved) : '—',
      source: 'tokens/s × FLOPs per token',
    },
    {
      key: 'mfu',
      label: 'MFU',
      value: onGpu && achieved && peak ? fmtPct(achieved / peak) : '—',
      source: onGpu
        ? `against this device's measured FMA peak${peak ? ` (${fmtGflops(peak)})` : ' (not measured yet)'}`
        : 'only for the GPU step: the CPU reference does not run on the GPU',
    },
    {
      key: 'ckpt',
      label: 'Last checkpoint',
      value: state.checkpoint
        ? state.checkpoint.error
          ? `refused at step ${state.checkpoint.step}`
          : `step ${state.checkpoint.step}, ${fmtCount(state.checkpoint.bytes ?? 0)} bytes`
        : '—',
      source: `${state.storage || 'OPFS or IndexedDB'}, every K steps, as run ${state.run || '…'}: weights, AdamW moments, step, data position, RNG state, CRC-32`,
    },
  ];
  const columns: Column<Row>[] = [
    { key: 'label', label: 'Quantity', render: (r) => r.label },
    {
      key: 'value',
      label: 'Value',
      render: (r) => <span data-testid={`train-${r.key}`}>{r.value}</span>,
      value: (r) => r.value,
    },
    { key: 'source', label: 'From', render: (r) => <span className="muted">{r.source}</span>, value: (r) => r.source },
  ];

  const running = state.status === 'running';
  const canStart = Boolean(spec) && (state.status === 'ready' || state.status === 'paused');
  const lossCurves = [
    {
      label: 'training loss',
      color: '--compute',
      xs: state.train.map((p) => p.step),
      ys: state.train.map((p) => p.loss),
    },
    {
      label: 'held-out loss',
      color: '--hbm',
      xs: state.evals.map((p) => p.step),
      ys: state.evals.map((p) => p.loss),
      dashed: true,
    },
  ];
  const accCurve = [
    {
      label: 'held-out exact match',
      color: '--sram',
      xs: state.evals.map((p) => p.step),
      ys: state.evals.map((p) => p.accuracy),
    },
  ];

  return (
    <LabSections
      picture={
        <>
          <div className="run-bar train-controls" role="group" aria-label="Training">
            <button
              type="button"
              className="btn btn-run"
              disabled={!canStart}
              onClick={() => void run()}
              data-testid="train-start"
            >
              {state.status === 'paused' ? 'Resume' : 'Start'}
            </button>
            <button
              type="button"
              className="btn btn-stop"
              disabled={!running}
              onClick={pause}
              data-testid="train-pause"
            >
              Pause
            </button>
            <button
              type="button"
              className="btn"
              disabled={!spec || state.status === 'loading'}
              onClick={() => void reset()}
              data-testid="train-reset"
            >
              Reset
            </button>
            <span className="train-status" role="status" data-testid="train-status">
              {statusText(state.status, state.step)}
            </span>
          </div>
          <p className="muted train-where" data-testid="train-where">
            {state.where === 'worker'
              ? 'Training in a Web Worker with its own device, so the page stays responsive'
              : state.where === 'main'
                ? state.webGpuThere === false
                  ? 'Training on the page’s main thread: this browser offers WebGPU to the page but not to workers'
                  : 'Training on the page’s main thread: this browser could not start a module worker'
                : 'Starting…'}
            {state.backend
              ? ` · arithmetic: ${state.backend === 'cpu-float64' ? 'the float64 CPU reference' : 'the GPU step on our WGSL kernels'}`
              : ''}
            {state.data ? ` · batches: ${state.data}` : ''}
            {state.storage ? (
              <>
                {' '}
                · checkpoints: {state.storage}, run <code data-testid="train-run">{state.run}</code>
              </>
            ) : null}
          </p>
          {state.messages.map((m) => (
            <p key={m} className="train-message" data-testid="train-message">
              {m}
            </p>
          ))}
          {state.checkpoint?.error ? (
            <p className="train-message" data-testid="train-checkpoint-error">
              {state.checkpoint.error}
            </p>
          ) : null}
          {!spec ? <p className="train-message">{result.error ?? 'This configuration cannot be built.'}</p> : null}
          <ChartFrame title="Loss by step: training and held-out" name="train-loss">
            <CurveChart
              curves={lossCurves}
              xLabel="step"
              yLabel="loss (nats)"
              yFormat={(v) => v.toFixed(1)}
              hline={{ y: Math.log(13), label: 'ln V (uniform guess)' }}
              xMax={spec?.steps ?? 1}
              ariaLabel="Training and held-out loss by step"
              testId="train-loss-chart"
            />
          </ChartFrame>
          <ChartFrame title="Held-out exact match by step" name="train-accuracy">
            <CurveChart
              curves={accCurve}
              xLabel="step"
              yLabel="exact match"
              yFormat={(v) => `${Math.round(v * 100)}%`}
              yMax={1}
              xMax={spec?.steps ?? 1}
              ariaLabel="Held-out exact-match accuracy by step"
              testId="train-acc-chart"
            />
          </ChartFrame>
          <StepSplit timing={state.lastTiming ?? null} stepMs={state.last?.ms ?? null} onGpu={onGpu} />
          <ChartFrame title="The training step on the roofline" name="train-roofline">
            <StepRoofline
              cost={state.cost}
              timing={state.lastTiming ?? null}
              size={
                spec
                  ? `B·T = ${spec.model.batch}·${spec.model.context}, D = ${spec.model.dModel}, L = ${spec.model.layers}`
                  : ''
              }
              device={device}
            />
          </ChartFrame>
          <GuardNote
            message={trainGuard({ timing: state.lastTiming ?? null, software: Boolean(device.info?.software) })}
          />
        </>
      }
      results={
        <>
          <ResultsTable
            caption={`Training run${state.backend ? ` (${state.backend})` : ''}`}
            name="train"
            columns={columns}
            rows={rows}
            stale={stale}
            rowKey={(r) => r.key}
          />
          {summary ? (
            <p className="muted" data-testid="train-examples">
              Training examples: <code>{summary.trainExamples.join('  ')}</code> · held out:{' '}
              <code>{summary.heldOutExamples.join('  ')}</code> · {summary.exampleLength} tokens each,{' '}
              {summary.examplesPerRow} per row of {params.context}.
            </p>
          ) : null}
        </>
      }
      explanation={
        <>
          <p>
            The model is a GPT-style decoder (nanoGPT’s shape): token and learned position embeddings, L pre-LayerNorm
            blocks of causal multi-head attention and a GELU MLP of width 4·D with residuals, a final LayerNorm and an
            output head <strong>tied</strong> to the token embedding. It learns d-digit addition written as text, with
            the sum’s digits <strong>reversed</strong> (<code>31+85=611</code> is 31 + 85 = 116): least significant
            digit first, each answer digit needs only its column and the carry from the digit just written. The data is
            generated here from the seed; one pair in ten is held out and never trained on, so the held-out curve
            measures generalisation, not memory. The training stream is cut into Parquet shards of 4,096 examples
            (operand columns, row groups of 512, each file’s CRC-32 in the manifest), written and read by the
            data-formats lab’s code in the dataloader lab’s worker pool, which hands the trainer its batches in order;
            the held-out split is a Parquet shard too. <strong>Data wait</strong> is the wall time a step waited for its
            batch.
          </p>
          <p>
            The loss counts only the answer digits (the operands are random: predicting them would add an irreducible ln
            10 ≈ 2.30 nats). A uniform guess over the 13 tokens costs ln 13 ≈ 2.56 nats; a model that knows only that
            answers are digits, ln 10. <strong>Exact match</strong> is scored from one teacher-forced pass: if every
            digit’s argmax is right given the true prefix, greedy decoding writes exactly those digits, and if one is
            wrong, greedy decoding errs there too, so the two agree.
          </p>
          <p>
            Optimizer: AdamW (Loshchilov &amp; Hutter 2019) with decoupled weight decay on matrices and embeddings only,
            the global gradient norm clipped to 1, a linear warm-up and a cosine decay to a tenth of the peak (nanoGPT’s
            schedule). Training FLOPs per token are 6 per matmul weight (2 forward, 4 backward) plus 12·L·T·D for
            attention’s two T×T products (PaLM’s convention, counted over the full square; the causal mask skips about
            half). MFU divides the achieved rate by the device’s measured FMA peak. With fp16 gradients, the gradients
            are multiplied by a loss scale S and rounded to fp16 by the cluster lab’s cast kernel (integer bit
            operations, so the same bits with or without the shader-f16 feature; the activations stay float32): without
            S, gradients under 2⁻²⁵ become 0; with it they survive, and an overflow to ∞ skips the step and halves S.
          </p>
          <p>
            A <strong>checkpoint</strong> holds everything needed to continue bit for bit: weights, both AdamW moments,
            the step (for the schedule and Adam’s bias correction), the data position and the sampler’s RNG state.
            Without the moments the optimizer restarts cold; without the RNG state the resumed run sees other batches.
            Reload the tab: the run resumes from the last checkpoint on the same curve. Checkpoints go to the origin
            private file system (OPFS) where the browser offers it, IndexedDB otherwise, one named run per
            configuration, so changing a parameter starts a new run and keeps the old one’s. A corrupt file fails its
            CRC-32 and the previous checkpoint is used; a full quota is reported and the last good checkpoint kept.
          </p>
        </>
      }
    />
  );
}

function statusText(s: string, step: number): string {
  switch (s) {
    case 'loading':
      return 'Loading…';
    case 'ready':
      return step ? `Ready at step ${step}` : 'Ready';
    case 'running':
      return `Training… step ${step}`;
    case 'paused':
      return `Paused at step ${step}`;
    case 'done':
      return `Done: ${step} steps`;
    default:
      return 'Stopped by an error';
  }
}
