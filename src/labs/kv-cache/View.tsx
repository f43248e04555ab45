import { ModelNote, OwnModelBox } from './OwnModelBox';
import { useMemo } from 'react';
import { ChartFrame } from '../../ui/ChartFrame';
import { ReplayNote } from '../../ui/ReplayNote';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { LabSections } from '../../ui/Section';
import { fmtBytes, fmtCount, fmtGBps, fmtGflops, fmtMs, fmtPct, fmtRatio, fmtSI } from '../../ui/format';
import type { SimSummary } from '../../sim/kvcache';
import type { LabViewProps } from '../../labkit/contract';
import type { meta } from './meta';
import './kv-cache.css';
import type { KvKernelPart } from './kernelPart';
import { LineChart } from '../../charts/LineChart';
import { MapPanel } from './MapPanel';
import type { KvLabResult } from './run';
import { TraceInput } from './TraceInput';
import { kvCacheGuard } from './guard';
import { GuardNote } from '../../ui/GuardNote';

interface MetricRow {
  key: string;
  label: string;
  unit?: string;
  get(s: SimSummary): number;
  fmt(v: number): string;
}

const secs = (v: number) => fmtMs(v * 1000);
const METRICS: MetricRow[] = [
  {
    key: 'waste',
    label: 'Waste: allocated slots with no token (avg over steps)',
    get: (s) => s.waste,
    fmt: (v) => fmtPct(v),
  },
  {
    key: 'over',
    label: '  of which over-reservation (beyond the current block)',
    get: (s) => s.overReservation,
    fmt: (v) => fmtPct(v),
  },
  {
    key: 'internal',
    label: '  of which internal fragmentation (last blocks)',
    get: (s) => s.internalFragmentation,
    fmt: (v) => fmtPct(v),
  },
  {
    key: 'external',
    label: 'External fragmentation (free memory no hole can use)',
    get: (s) => s.externalFragmentation,
    fmt: (v) => fmtPct(v),
  },
  { key: 'inuse', label: 'KV memory holding live tokens', get: (s) => s.kvInUse, fmt: (v) => fmtPct(v) },
  { key: 'running', label: 'Sequences running (mean)', get: (s) => s.meanRunning, fmt: (v) => v.toFixed(1) },
  { key: 'peak', label: 'Sequences running (peak)', get: (s) => s.peakRunning, fmt: (v) => String(v) },
  { key: 'waiting', label: 'Requests waiting (mean)', get: (s) => s.meanWaiting, fmt: (v) => v.toFixed(1) },
  { key: 'tps', label: 'Tokens per step', get: (s) => s.tokensPerStep, fmt: (v) => v.toFixed(1) },
  { key: 'thr', label: 'Throughput', unit: 'tokens/s', get: (s) => s.throughputTokPerS, fmt: (v) => fmtSI(v, 'tok/s') },
  { key: 'rps', label: 'Requests completed per second', get: (s) => s.requestsPerS, fmt: (v) => v.toFixed(2) },
  { key: 'lat', label: 'Latency, mean (arrival → last token)', get: (s) => s.meanLatencyS, fmt: secs },
  { key: 'p99', label: 'Latency, p99', get: (s) => s.p99LatencyS, fmt: secs },
  { key: 'ttft', label: 'Time to first token, mean', get: (s) => s.meanTtftS, fmt: secs },
  { key: 'norm', label: 'Normalized latency (per output token)', get: (s) => s.normalizedLatencyS, fmt: secs },
  { key: 'pre', label: 'Preemptions', get: (s) => s.preemptions, fmt: (v) => fmtCount(v) },
  { key: 'cow', label: 'Copy-on-write block copies', get: (s) => s.cowCopies, fmt: (v) => fmtCount(v) },
  { key: 'swap', label: 'Tokens swapped (out + in)', get: (s) => s.swappedTokens, fmt: (v) => fmtCount(v) },
  {
    key: 'recomp',
    label: 'Tokens recomputed after preemption',
    get: (s) => s.recomputedTokens,
    fmt: (v) => fmtCount(v),
  },
  { key: 'steps', label: 'Model steps', get: (s) => s.steps, fmt: (v) => fmtCount(v) },
  { key: 'time', label: 'Simulated time', get: (s) => s.simSeconds, fmt: secs },
];

type KernelRow = KvKernelPart['rows'][number];
const kernelColumns: Column<KernelRow>[] = [
  {
    key: 'layout',
    label: 'Layout',
    render: (r) => <span className={r.layout === 'paged' ? 'kv-paged' : 'kv-contig'}>{r.layout}</span>,
    value: (r) => r.layout,
  },
  { key: 'median', label: 'Median', render: (r) => fmtMs(r.medianMs), value: (r) => r.medianMs },
  { key: 'spread', label: 'Spread (IQR)', render: (r) => fmtMs(r.spreadMs), value: (r) => r.spreadMs },
  {
    key: 'bw',
    label: 'Bandwidth',
    render: (r) => <span className="hbm">{fmtGBps(r.gbPerS)}</span>,
    value: (r) => r.gbPerS,
  },
  {
    key: 'flops',
    label: 'Compute',
    render: (r) => <span className="compute">{fmtGflops(r.gflopPerS)}</span>,
    value: (r) => r.gflopPerS,
  },
  { key: 'err', label: 'Max error vs CPU', render: (r) => r.maxError.toExponential(1), value: (r) => r.maxError },
  {
    key: 'mem',
    label: 'GPU memory for this batch',
    render: (r) => fmtBytes(r.allocatedBytes),
    value: (r) => r.allocatedBytes,
  },
];

function Headline({ data }: { data: KvLabResult }) {
  const p = data.paged?.summary;
  const c = data.contiguous?.summary;
  const rejected = [c, p].filter((s) => s && s.rejected > 0) as SimSummary[];
  return (
    <>
      {rejected.length ? (
        <div className="notice" role="status" data-testid="kv-rejected">
          {rejected.map((s) => (
            <p key={s.allocator}>
              {s.allocator}: {s.rejected.toLocaleString('en-US')} of {s.requests.toLocaleString('en-US')} requests can
              never fit and were rejected. {s.rejectMessage} Compare with care, or give the KV cache more memory.
            </p>
          ))}
        </div>
      ) : null}
      <div className="kv-headline" data-testid="kv-headline">
        <div className="kv-figure">
          <span className="kv-figure-label kv-contig">Contiguous reservation wastes</span>
          <strong className="kv-contig" data-testid="waste-contiguous">
            {c ? fmtPct(c.waste) : '—'}
          </strong>
          <span className="muted">{c ? 'of its allocated KV memory' : (data.contiguousError ?? '')}</span>
        </div>
        <div className="kv-figure">
          <span className="kv-figure-label kv-paged">Paged (PagedAttention) wastes</span>
          <strong className="kv-paged" data-testid="waste-paged">
            {p ? fmtPct(p.waste) : '—'}
          </strong>
          <span className="muted">{p ? 'of its allocated KV memory' : (data.pagedError ?? '')}</span>
        </div>
        {p && c ? (
          <div className="kv-figure kv-figure-small">
            <span className="kv-figure-label">With the same memory, paging runs</span>
            <strong>{fmtRatio(p.meanRunning / Math.max(c.meanRunning, 1e-9))}</strong>
            <span className="muted">
              as many sequences at once: {fmtRatio(p.throughputTokPerS / Math.max(c.throughputTokPerS, 1e-9))} the
              throughput, mean latency {fmtMs(p.meanLatencyS * 1000)} vs {fmtMs(c.meanLatencyS * 1000)}.
            </span>
          </div>
        ) : null}
      </div>
    </>
  );
}

export function KvCacheView({
  meta: lab,
  params,
  result,
  stale,
  device,
  actions,
}: LabViewProps<typeof meta.schema, KvLabResult>) {
  const { info, status: gpuStatus } = device;
  const data = result.data;
  const resetKey = useMemo(
    () =>
      data
        ? `${JSON.stringify(params)}:${data.trace.requests}:${data.paged?.summary.steps}:${data.contiguous?.summary.steps}`
        : '',
    [data], // eslint-disable-line react-hooks/exhaustive-deps -- the key is taken when a result arrives, with the parameters it ran with
  );

  // A loaded trace is simulated at once: switching the workload to it re-runs the lab by itself.
  const onTraceLoaded = () => {
    if (params.workload !== 'trace') actions.setParams({ workload: 'trace' });
    else actions.run();
  };

  const rows = data && (data.paged || data.contiguous) ? METRICS : [];
  const columns: Column<MetricRow>[] = data
    ? [
        { key: 'metric', label: 'Metric', render: (m) => m.label.trim(), value: (m) => m.label.trim() },
        {
          key: 'contig',
          label: 'Contiguous',
          render: (m) => (data.contiguous ? m.fmt(m.get(data.contiguous.summary)) : '—'),
          value: (m) => (data.contiguous ? m.get(data.contiguous.summary) : ''),
        },
        {
          key: 'paged',
          label: 'Paged',
          render: (m) => (data.paged ? m.fmt(m.get(data.paged.summary)) : '—'),
          value: (m) => (data.paged ? m.get(data.paged.summary) : ''),
        },
      ]
    : [];

  const k = data?.kernel;
  const ratio = k ? k.rows[0].medianMs / k.rows[1].medianMs : NaN;

  return (
    <LabSections
      picture={
        <>
          <ReplayNote labId={lab.id} result={result} />
          <TraceInput onLoaded={onTraceLoaded} />
          <OwnModelBox params={params} actions={actions} />
          {data ? (
            <>
              <ModelNote config={data.config} />
              <Headline data={data} />
              <MapPanel data={data} resetKey={resetKey} />
              <div className="kv-charts">
                <ChartFrame title="Throughput: tokens generated per second" name="kv-throughput">
                  <LineChart
                    series={[
                      ...(data.contiguous
                        ? [
                            {
                              label: 'contiguous',
                              className: 'kv-contig',
                              xs: data.contiguous.series.time,
                              ys: data.contiguous.series.throughput,
                            },
                          ]
                        : []),
                      ...(data.paged
                        ? [
                            {
                              label: 'paged',
                              className: 'kv-paged',
                              xs: data.paged.series.time,
                              ys: data.paged.series.throughput,
                            },
                          ]
                        : []),
                    ]}
                    xLabel="simulated time (s)"
                    yLabel="tokens/s"
                    yFormat={(v) => fmtSI(v, '')}
                    ariaLabel="Generated tokens per second over simulated time; the results table lists the averages"
                  />
                </ChartFrame>
                <ChartFrame title="Sequences running (solid) and requests waiting (dashed)" name="kv-queue">
                  <LineChart
                    series={[
                      ...(data.contiguous
                        ? [
                            {
                              label: 'contiguous running',
                              className: 'kv-contig',
                              xs: data.contiguous.series.time,
                              ys: data.contiguous.series.running,
                            },
                            {
                              label: 'contiguous waiting',
                              className: 'kv-contig',
                              xs: data.contiguous.series.time,
                              ys: data.contiguous.series.waiting,
                              dashed: true,
                            },
                          ]
                        : []),
                      ...(data.paged
                        ? [
                            {
                              label: 'paged running',
                              className: 'kv-paged',
                              xs: data.paged.series.time,
                              ys: data.paged.series.running,
                            },
                            {
                              label: 'paged waiting',
                              className: 'kv-paged',
                              xs: data.paged.series.time,
                              ys: data.paged.series.waiting,
                              dashed: true,
                            },
                          ]
                        : []),
                    ]}
                    xLabel="simulated time (s)"
                    yLabel="count"
                    yFormat={(v) => fmtSI(v, '')}
                    ariaLabel="Running sequences and waiting requests over simulated time"
                  />
                </ChartFrame>
              </div>
            </>
          ) : (
            <p className="muted">
              {result.status === 'running'
                ? 'Simulating…'
                : result.status === 'error'
                  ? 'Fix the message by the Run button and run again.'
                  : 'Run to simulate.'}
            </p>
          )}
        </>
      }
      results={
        data ? (
          <>
            <ResultsTable
              caption={`Simulation: ${data.trace.requests.toLocaleString('en-US')} requests, ${data.config.gib.toFixed(2)} GiB of KV memory`}
              name="kv-cache-simulation"
              columns={columns}
              rows={rows}
              stale={stale}
              rowKey={(m) => m.key}
            />
            <p className="muted kv-caption">
              {data.config.traceName ? `Trace ${data.config.traceName}: ` : `${data.config.workload} trace: `}mean
              prompt {Math.round(data.trace.meanPrompt)}, mean output {Math.round(data.trace.meanOutput)}, p99 output{' '}
              {data.trace.p99Output} tokens over {data.trace.spanS.toFixed(1)} s;{' '}
              {data.config.numBlocks.toLocaleString('en-US')} blocks of {data.config.blockSize} tokens;{' '}
              {data.config.batching} batching, {data.config.preemption} on preemption
              {data.config.systemPrompt ? `, ${data.config.systemPrompt}-token shared system prompt` : ''}
              {data.config.n > 1 ? `, n = ${data.config.n} samples` : ''}.
            </p>
            {k ? (
              <>
                <ResultsTable
                  caption="Decode attention kernels, same batch"
                  name="kv-cache-kernels"
                  source="measured"
                  columns={kernelColumns}
                  rows={k.rows}
                  stale={stale}
                  rowKey={(r) => r.layout}
                />
                <p className="muted kv-caption">
                  The batch of step {k.step} of the paged run: {k.seqs} sequences, {fmtCount(k.contextTokens)} cached
                  tokens, {k.heads} heads × {k.headDim}, {k.sharedBlocks} physical blocks shared by several tables;{' '}
                  {k.adapter}, {k.timing} timing.
                </p>
                <p data-testid="kv-kernel-ratio">
                  Paged kernel time / contiguous: <strong>{fmtRatio(ratio)}</strong> (target ≤ 1.5×): the block-table
                  lookup costs little; the contiguous layout needs{' '}
                  {fmtRatio(k.rows[1].allocatedBytes / k.rows[0].allocatedBytes)} the memory for the same batch.
                  {info?.software
                    ? ' This adapter is SwiftShader, a CPU: compare the two layouts, not the absolute times.'
                    : ''}
                </p>
                <GuardNote
                  message={kvCacheGuard({
                    pagedMs: k.rows[0].medianMs,
                    contiguousMs: k.rows[1].medianMs,
                    contextTokens: k.contextTokens,
                    // The adapter that measured these rows (a replay's recording device, not this one).
                    software: /swiftshader|llvmpipe|lavapipe/i.test(k.adapter),
                  })}
                />
              </>
            ) : (
              <p className="muted" data-testid="kv-kernel-note">
                {data.kernelNote ??
                  (gpuStatus === 'unavailable'
                    ? 'No WebGPU here: the simulation ran in your browser; the attention kernels need a GPU.'
                    : 'The attention kernels did not run.')}
              </p>
            )}
          </>
        ) : null
      }
      explanation={
        <>
          <p>
            During decoding, every running sequence keeps the keys and values (the <strong>KV cache</strong>) of all its
            tokens: 2 × layers × width × 2 bytes, 512 KiB per token for LLaMA-7B in fp16 (32 layers, 4096 wide, every
            head with its own keys and values). Grouped-query models of that size share K and V across heads and need
            less: Mistral-7B and Llama-3-8B (8 KV heads) need 128 KiB. Before paging, servers stored each sequence’s
            cache contiguously and so had to <em>reserve</em> its maximum length (prompt + max_tokens) when it started.
            The vLLM paper (Kwon et al., SOSP 2023, §3) names three kinds of waste there: <em>reserved</em> slots, held
            now for tokens the request will generate later; <em>internal fragmentation</em>, slots beyond the length it
            actually reaches, never used; and <em>external fragmentation</em>, free memory split into holes too small
            for the next request. It measured only 20.4–38.2% of KV memory holding tokens in such systems (Fig. 2), the
            higher figure even with an oracle that knew every output length in advance.
          </p>
          <p>
            <strong>PagedAttention</strong> splits the cache into fixed-size blocks, hands them out one at a time as a
            sequence grows, and finds them through a per-sequence <em>block table</em>, as an OS does with virtual
            memory pages. Only the last block of each sequence is partly empty, so waste stays under a few percent;
            blocks can be shared by reference count (a common system prompt, the prompt of n parallel samples) and
            copied on the first write (copy-on-write). When memory runs out the latest request is preempted: its blocks
            are swapped to CPU memory or dropped and recomputed later.
          </p>
          <p>
            Waste here = allocated slots that hold no token, over all allocated slots, averaged over steps. The table
            splits it with the paper’s terms: its over-reservation row is the paper’s reserved slots and internal
            fragmentation of a contiguous region together (everything reserved beyond a sequence’s current block), the
            internal-fragmentation row is the unused tail of each sequence’s last block, and external fragmentation is
            free memory that no hole can give the next request. Step times come from a roofline cost model (weights and
            KV read once per decode step at 2 TB/s, prefill at 300 TFLOP/s: round figures for the A100-80GB datasheet
            peaks of 2,039 GB/s and 312 TFLOP/s fp16, not rates a server achieves), so throughput and latency are
            modelled estimates, optimistic for every configuration alike; the memory accounting is exact. The kernel
            table times the real WGSL: one query per sequence attending over K/V found through the block table, against
            the same data laid out contiguously.
          </p>
        </>
      }
    />
  );
}
