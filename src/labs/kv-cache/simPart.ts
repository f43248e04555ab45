import { decodeConfig, describeProblems } from '../../catalog';
import { profileForArch, profileForModel } from '../../sim/kvcache/catalogProfile';
import type { ModelProfile } from '../../sim/kvcache/costModel';
import {
  KvSimulator,
  blocksForGiB,
  downsample,
  gibForBlocks,
  mapRecorder,
  syntheticTrace,
  DEFAULT_MAX_BATCH,
  type Allocator,
  type MapFrame,
  type Series,
  type SimConfig,
  type SimSummary,
  type TraceRequest,
} from '../../sim/kvcache';
import type { ParamsOf } from '../../labkit/contract';
import type { meta } from './meta';
import { getTrace } from './traceStore';

export type KvParams = ParamsOf<typeof meta.schema>;

/** One allocator's run, as plain JSON: summary, chart series, and the memory map as diffs. */
export interface KvRunPart {
  summary: SimSummary;
  series: Series;
  frames: MapFrame[];
  /** Steps between recorded frames. */
  stride: number;
}

/** A decoding batch captured from the paged run, for the kernel: lengths and block tables. */
export interface CapturedBatch {
  step: number;
  seqLens: number[];
  tables: number[][];
}

export interface KvSimPart {
  config: {
    blockSize: number;
    numBlocks: number;
    gib: number;
    batching: string;
    preemption: string;
    systemPrompt: number;
    n: number;
    workload: string;
    traceName: string | null;
    /** The model whose KV bytes per token size the blocks (absent in results recorded before the catalog). */
    model?: string;
    kvBytesPerToken?: number;
  };
  trace: { requests: number; meanPrompt: number; meanOutput: number; p99Output: number; spanS: number };
  /** id -> [arrival s, prompt tokens, output tokens] for requests that appear on the memory maps. */
  requestInfo: Record<string, [number, number, number]>;
  paged: KvRunPart | null;
  pagedError: string | null;
  contiguous: KvRunPart | null;
  contiguousError: string | null;
}

export function traceFor(p: Pick<KvParams, 'workload' | 'requests' | 'rate' | 'seed'>): {
  trace: TraceRequest[];
  name: string | null;
} {
  if (p.workload === 'trace') {
    const t = getTrace();
    if (!t)
      throw new Error(
        'Workload is “Trace file”, but no trace is loaded: drop a JSON or CSV file on the trace box, or pick a synthetic workload.',
      );
    return { trace: t.requests, name: t.name };
  }
  return {
    trace: syntheticTrace({ kind: p.workload, requests: p.requests, ratePerS: p.rate, seed: p.seed }),
    name: null,
  };
}

/** The chosen model on the lab's GPU: a catalog entry, or the pasted config.json (a named error if it cannot be used). */
export function profileOf(p: Pick<KvParams, 'model' | 'config'> & Partial<Pick<KvParams, 'weights'>>): ModelProfile {
  const format = p.weights ?? 'bf16';
  if (p.model !== 'own') return profileForModel(p.model, format);
  if (!p.config)
    throw new RangeError('No config.json yet: paste or drop one in the box above, or pick a catalog model.');
  const r = decodeConfig(p.config);
  if (!r.ok) throw new RangeError(`Your config.json cannot be used: ${describeProblems(r.problems)}.`);
  return profileForArch(`Your model (${r.config.model_type ?? 'config.json'})`, r.arch, format);
}

export function numBlocksFor(p: Pick<KvParams, 'blockSize' | 'memory' | 'memoryUnit' | 'model' | 'config'>): number {
  return p.memoryUnit === 'blocks' ? Math.floor(p.memory) : blocksForGiB(p.memory, p.blockSize, profileOf(p));
}

const MAP_FRAMES = 360;

/** Runs both allocators on the same trace; an allocator whose memory cannot hold a request reports why. */
export function runSimPart(p: KvParams, onPagedStep?: (sim: KvSimulator) => void): KvSimPart {
  const { trace, name } = traceFor(p);
  const bs = p.blockSize;
  const numBlocks = numBlocksFor(p);
  const profile = profileOf(p);
  if (numBlocks < 1)
    throw new RangeError(
      `${p.memory} ${p.memoryUnit} holds less than one block of ${bs} tokens (${gibForBlocks(1, bs, profile).toFixed(4)} GiB of ${profile.name.split(' (')[0]}). Give the KV cache more memory.`,
    );
  const base: Omit<SimConfig, 'allocator'> = {
    blockSize: bs,
    numBlocks,
    batching: p.batching,
    preemption: p.preemption,
    systemPrompt: p.systemPrompt,
    n: p.n,
    maxBatch: DEFAULT_MAX_BATCH,
    seed: p.seed,
  };
  const shown = new Set<number>();
  const one = (allocator: Allocator): { part: KvRunPart | null; error: string | null } => {
    let sim: KvSimulator;
    try {
      sim = new KvSimulator(trace, { ...base, allocator }, profile);
    } catch (e) {
      return { part: null, error: (e as Error).message };
    }
    const rec = mapRecorder(numBlocks, MAP_FRAMES);
    const hook = allocator === 'paged' ? onPagedStep : undefined;
    const summary = sim.run({
      onStep(s) {
        rec.hooks.onStep!(s);
        hook?.(s);
      },
    });
    for (const id of rec.usedIds) shown.add(id);
    return {
      part: { summary, series: downsample(sim.log, numBlocks * bs), frames: rec.frames, stride: rec.stride() },
      error: null,
    };
  };
  const paged = one('paged');
  const contiguous = one('contiguous');
  if (!paged.part && !contiguous.part)
    throw new Error(paged.error ?? contiguous.error ?? 'Neither allocator could run.');
  const outs = trace.map((r) => r.output).sort((a, b) => a - b);
  const requestInfo: Record<string, [number, number, number]> = {};
  for (const id of shown)
    requestInfo[id] = [Math.round(trace[id].arrival * 1000) / 1000, trace[id].prompt, trace[id].output];
  return {
    config: {
      blockSize: bs,
      numBlocks,
      gib: gibForBlocks(numBlocks, bs, profile),
      batching: base.batching,
      preemption: base.preemption,
      systemPrompt: base.systemPrompt,
      n: base.n,
      workload: p.workload,
      traceName: name,
      model: profile.name,
      kvBytesPerToken: profile.kvBytesPerToken,
    },
    trace: {
      requests: trace.length,
      meanPrompt: trace.reduce((a, r) => a + r.prompt, 0) / trace.length,
      meanOutput: trace.reduce((a, r) => a + r.output, 0) / trace.length,
      p99Output: outs[Math.min(outs.length - 1, Math.floor(0.99 * outs.length))],
      spanS: trace[trace.length - 1].arrival - trace[0].arrival,
    },
    requestInfo,
    paged: paged.part,
    pagedError: paged.error,
    contiguous: contiguous.part,
    contiguousError: contiguous.error,
  };
}

/** Watches the paged run and keeps the step with the most sequences decoding, for the kernel. */
export function batchCapturer(maxSeqs = 64): { hook(sim: KvSimulator): void; best(): CapturedBatch | null } {
  let best: CapturedBatch | null = null;
  let bestCount = 0;
  return {
    hook(sim) {
      const c = sim.counts().running;
      if (c <= bestCount) return;
      bestCount = c;
      const seqLens: number[] = [];
      const tables: number[][] = [];
      for (const g of sim.runningGroups())
        for (const s of g.seqs)
          if (!s.done && s.len > 0 && seqLens.length < maxSeqs) {
            seqLens.push(s.len);
            tables.push(s.table.slice());
          }
      best = { step: sim.step, seqLens, tables };
    },
    best: () => best,
  };
}
