import { useEffect, useState } from 'react';
import type { LabViewProps } from '../../labkit/contract';
import { TIMED_RUNS, type QuantRow, type SpecRow } from '../../model/serve/session';
import { LabSections } from '../../ui/Section';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { fmtBytes, fmtCount, fmtPct } from '../../ui/format';
import { BlockMap } from './BlockMap';
import type { meta } from './meta';
import { ModelPicker } from './ModelPicker';
import { PinMap } from './PinMap';
import type { ServeLabReport } from './run';
import './serve.css';
import { serveGuard } from './guard';
import { GuardNote } from '../../ui/GuardNote';

const quantColumns: Column<QuantRow>[] = [
  { key: 'name', label: 'Weights', render: (r) => r.name, value: (r) => r.name },
  { key: 'bytes', label: 'Weight bytes', render: (r) => fmtBytes(r.weightBytes), value: (r) => r.weightBytes },
  { key: 'acc', label: 'Held-out exact match', render: (r) => fmtPct(r.accuracy), value: (r) => r.accuracy },
  {
    key: 'ppl',
    label: 'Perplexity (answer digits)',
    render: (r) => r.perplexity.toFixed(3),
    value: (r) => r.perplexity,
  },
  { key: 'changed', label: 'Answers changed vs f32', render: (r) => fmtCount(r.changed), value: (r) => r.changed },
  {
    key: 'tps',
    label: 'Tokens/s (GPU kernels, this device)',
    render: (r) => (r.tokensPerS === null ? '— (no WebGPU)' : r.tokensPerS.toFixed(1)),
    value: (r) => r.tokensPerS ?? -1,
  },
  {
    key: 'err',
    label: 'Worst GPU logits error vs float64',
    render: (r) => (r.logitError === null ? '—' : r.logitError.toExponential(1)),
    value: (r) => r.logitError ?? -1,
  },
];

const specColumns: Column<SpecRow>[] = [
  { key: 'gamma', label: 'γ', render: (r) => String(r.gamma), value: (r) => r.gamma },
  { key: 'alpha', label: 'Measured α', render: (r) => r.alpha.toFixed(3), value: (r) => r.alpha },
  {
    key: 'pos',
    label: 'α by draft position',
    render: (r) => r.perPosition.map((a) => a.toFixed(2)).join(' · '),
    value: (r) => r.perPosition.join(' '),
  },
  {
    key: 'tpp',
    label: 'Tokens / target pass (measured)',
    render: (r) => `${r.tokensPerPass.toFixed(3)} ± ${r.stdError.toFixed(3)}`,
    value: (r) => r.tokensPerPass,
  },
  { key: 'closed', label: 'Closed form at α', render: (r) => r.closedTokens.toFixed(3), value: (r) => r.closedTokens },
  {
    key: 'sc',
    label: 'Speedup closed form (α, c, v = 1)',
    render: (r) => `${r.closedSpeedup.toFixed(2)}×`,
    value: (r) => r.closedSpeedup,
  },
  { key: 'v', label: 'v measured', render: (r) => r.vMeasured.toFixed(2), value: (r) => r.vMeasured },
  {
    key: 'scv',
    label: 'Speedup closed form (α, c, v)',
    render: (r) => `${r.closedSpeedupV.toFixed(2)}×`,
    value: (r) => r.closedSpeedupV,
  },
  {
    key: 'sm',
    label: 'Speedup measured (CPU path)',
    render: (r) => `${r.measuredSpeedup.toFixed(2)}×`,
    value: (r) => r.measuredSpeedup,
  },
  {
    key: 'greedy',
    label: 'Greedy = target greedy',
    render: (r) => (r.greedyIdentical ? 'yes' : 'NO'),
    value: (r) => String(r.greedyIdentical),
  },
  {
    key: 'gsm',
    label: 'Speedup measured (GPU kernels)',
    render: (r) => (r.gpu ? `${r.gpu.speedup.toFixed(2)}×${r.gpu.greedyIdentical ? '' : ' (greedy differs!)'}` : '—'),
    value: (r) => r.gpu?.speedup ?? -1,
  },
  {
    key: 'gsc',
    label: 'Closed form (α, GPU c and v)',
    render: (r) => (r.gpu ? `${r.gpu.closedSpeedup.toFixed(2)}× (v ${r.gpu.v.toFixed(2)})` : '—'),
    value: (r) => r.gpu?.closedSpeedup ?? -1,
  },
];

export function ServeView({ result, stale, params, actions }: LabViewProps<typeof meta.schema, ServeLabReport>) {
  const report = result.data;
  const frames = report?.generation.frames ?? [];
  const [at, setAt] = useState(0);
  useEffect(() => setAt(Math.max(0, frames.length - 1)), [frames.length]);
  const frame = frames[Math.min(at, frames.length - 1)];
  const gen = report?.generation;
  return (
    <LabSections
      picture={
        report && gen && frame ? (
          <div className="serve-picture">
            {/* One figure: on a phone the map, its title and its step slider come first, before the controls. */}
            <figure className="serve-map-figure" aria-label="The KV cache's blocks at this scheduler step">
              <h3>Generation through the paged KV cache</h3>
              <label className="serve-step" data-testid="serve-step">
                Step {frame.step + 1} of {frames.length}{' '}
                <input
                  type="range"
                  min={0}
                  max={frames.length - 1}
                  value={at}
                  onChange={(e) => setAt(Number(e.target.value))}
                  aria-label="Scheduler step"
                />
              </label>
              <div data-testid="serve-map">
                <PinMap title={`KV cache blocks at step ${frame.step + 1} of ${frames.length}`}>
                  <BlockMap frame={frame} blockSize={gen.blockSize} />
                </PinMap>
              </div>
            </figure>
            <p className="serve-note">
              {frame.prefilled.length
                ? `prefilled r${frame.prefilled.join(', r')} (${frame.prefillTokens} tokens) · `
                : ''}
              {frame.decoded.length ? `decoded r${frame.decoded.join(', r')} · ` : ''}
              {frame.preempted.length ? `preempted r${frame.preempted.join(', r')} · ` : ''}
              {frame.finished.length ? `finished r${frame.finished.join(', r')} · ` : ''}
              {frame.freeBlocks} of {gen.numBlocks} blocks free
            </p>
            <ul className="serve-texts">
              {frame.texts.map((t, i) => (
                <li key={i}>
                  r{i}: <code>{t}</code>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p>Loading the shipped checkpoints…</p>
        )
      }
      results={
        report && gen ? (
          <>
            {/* Which checkpoints served (shipped or saved in this browser), and any fallback taken. */}
            <ModelPicker params={params} actions={actions} />
            {report.notes?.map((n) => (
              <p key={n} role="status" className="serve-fallback">
                {n}
              </p>
            ))}
            <p className="serve-models" data-testid="serve-models">
              {report.models
                ? `Checkpoints served: target = ${report.models.target.source}, draft = ${report.models.draft.source}. `
                : ''}
              Target: {report.target.layers} layers × d {report.target.dModel}, {fmtCount(report.target.parameters)}{' '}
              parameters, step {report.target.step}
              {report.target.trainedAccuracy !== null
                ? `, ${fmtPct(report.target.trainedAccuracy)} held-out exact match at training`
                : ''}
              . Draft: {report.draft.layers} layer × d {report.draft.dModel}, {fmtCount(report.draft.parameters)}{' '}
              parameters
              {report.draft.trainedAccuracy !== null ? `, ${fmtPct(report.draft.trainedAccuracy)}` : ''}. Both made by{' '}
              <code>npm run train</code> (README).
            </p>
            <p data-testid="serve-gen-summary">
              Generated: {gen.correct.filter(Boolean).length} of {gen.correct.length} sums right.{' '}
              {gen.path === 'cpu'
                ? `${gen.gpuRefusal ? `The GPU path did not run here (${gen.gpuRefusal})` : 'No WebGPU here'}: the float64 CPU forward (the reference path) ran alone, ${gen.tokensPerS.toFixed(1)} tokens/s on this CPU.`
                : `Every forward ran on this GPU through the playground's kernels: prefill with the tiled attention, decode steps batched through the paged KV-cache kernel and the f32 GEMV/GEMM. Logits of ${gen.checkedRows} of ${gen.totalRows} rows checked against the float64 CPU forward of the same weights: worst error ${(gen.logitError ?? 0).toExponential(2)} (tolerance ${gen.logitTolerance.toExponential(0)}). ${gen.tokensPerS.toFixed(1)} tokens/s measured on this device (${TIMED_RUNS === 1 ? 'one timed run' : `median of ${TIMED_RUNS} timed runs`} of the batch after a checked one compiled the kernels).`}
            </p>
            <div data-testid="serve-quant">
              <ResultsTable
                caption={`Weight formats on ${report.evalCount} held-out sums (accuracy: float64 forward with each format's dequantized weights; tokens/s: the generation batch through that format's GEMV/GEMM kernels on this device, logits checked against that float64 forward)`}
                name="serve-quant"
                columns={quantColumns}
                rows={report.quant}
                rowKey={(r) => r.variant}
                stale={stale}
                source="measured"
              />
            </div>
            <div data-testid="serve-spec">
              <GuardNote message={serveGuard(report)} />
              <ResultsTable
                caption={`Speculative decoding, draft → target, ${report.evalExamples} held-out prompts; c = ${report.cMeasured.toFixed(2)} measured on the CPU path (parameters ratio ${report.cParams.toFixed(2)})${report.specGpu ? `; GPU kernels: c = ${report.specGpu.c.toFixed(2)} measured, ${report.specGpu.prompts} prompts, medians of ${report.specGpu.rounds} interleaved rounds on this device` : '; no WebGPU: no GPU timing'}`}
                name="serve-speculative"
                columns={specColumns}
                rows={report.spec}
                rowKey={(r) => String(r.gamma)}
                stale={stale}
                source="measured"
              />
            </div>
          </>
        ) : (
          <ModelPicker params={params} actions={actions} />
        )
      }
      explanation={
        <>
          <p>
            Each request is a held-out sum; the engine prefills its prompt in one forward, then decodes one token per
            scheduler step. Blocks come from the KV-cache lab&apos;s allocator (src/sim/kvcache/pagedKv.ts) one at a
            time as sequences grow; when none is free the request admitted last is preempted and recomputed later.
          </p>
          <p>
            With WebGPU, generation runs through the playground&apos;s kernels (src/model/serve/gpuForward.ts): token
            and position embeddings, LayerNorm, every projection through the decode lab&apos;s GEMV/GEMM at the chosen
            weight format (a decode step of several requests is one GEMM of that many rows), bias + GELU, the tiled
            causal attention for a prompt and the KV-cache lab&apos;s paged decode kernel for each new token, reading
            the keys and values the model wrote into the pool&apos;s blocks. The float64 CPU forward is the reference
            every checked row is held to, and the path that runs where WebGPU is absent.
          </p>
          <p>
            Weight formats quantize every block&apos;s four matrices with the decode lab&apos;s quantizers
            (src/kernels/quant); embeddings, biases and LayerNorms stay f32. AWQ searches per-channel scales on
            activations of held-out sums that are not scored.
          </p>
          <p>
            Speculative decoding: the draft proposes γ tokens, the target scores them in one forward of γ+1 tokens, and
            Leviathan et al.&apos;s rejection rule keeps the target&apos;s distribution. The closed form E[tokens] = (1
            − α^(γ+1)) / (1 − α) (src/sim/speculative) assumes each token is accepted independently with probability α.
          </p>
        </>
      }
    />
  );
}
