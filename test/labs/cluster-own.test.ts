import { describe, expect, it } from 'vitest';
import { archOf, countParams, encodeConfig, findModel } from '../../src/catalog';
import { defaults } from '../../src/labkit/schema';
import { labUrl, parseUrl } from '../../src/labkit/url';
import { validateParams } from '../../src/labkit/validate';
import { meta } from '../../src/labs/cluster/meta';
import { runCluster, type ClusterParams } from '../../src/labs/cluster/run';
import { expertAllToAll, memoryPerGpu, MODEL_PRESETS } from '../../src/sim/cluster';

const ctx = { runtime: null, signal: new AbortController().signal, progress: () => {} };
const base = { ...defaults(meta.schema), failureModel: 'custom', customRate: 0, gpus: 64 } as ClusterParams;

describe('the cluster lab answers for your own config.json', () => {
  const mixtral = findModel('mixtral-8x7b')!.config;
  const own = { ...base, model: 'own', config: encodeConfig(mixtral) } as ClusterParams;

  it('counts it from the fields and runs memory and step time for it', async () => {
    const r = await runCluster(ctx, own);
    expect(r.layoutProblems).toEqual([]);
    const c = countParams(archOf(mixtral));
    expect(r.model.params).toBe(c.total);
    expect(r.model.name).toContain('Your model (mixtral)');
    // An MoE token computes with its 2 routed experts only: 6 × active parameters per token.
    expect(r.step!.modelFlopsPerGpu).toBeCloseTo((6 * c.active * r.step!.tokens) / own.gpus, 0);
  });

  it('carries the config through the URL exactly', () => {
    const url = labUrl('cluster', meta.schema, own);
    const back = validateParams(meta.schema, parseUrl(url).raw);
    expect(back.notices).toEqual([]);
    expect(back.values.config).toBe(own.config);
    expect(back.values.model).toBe('own');
  });

  it('a damaged config is a named problem, not a crash', async () => {
    const r = await runCluster(ctx, { ...own, config: encodeConfig({ ...mixtral, num_experts_per_tok: 9 }) });
    expect(r.layoutProblems.join()).toMatch(/num_experts_per_tok: 9 experts per token but only 8 experts/);
    expect(r.step).toBeNull();
    const none = await runCluster(ctx, { ...own, config: '' });
    expect(none.layoutProblems.join()).toMatch(/no config.json yet/);
  });
});

describe('expert parallelism', () => {
  const ds = MODEL_PRESETS.find((m) => m.id === 'deepseek-v3')!;
  const cfg = {
    gpus: 2048,
    tp: 1,
    pp: 16,
    sp: false,
    microBatch: 1,
    microBatches: 32,
    strategy: 'zero1',
    recompute: 'full',
    precision: 'bf16',
    offload: 'none',
    schedule: '1f1b',
    chunks: 1,
  } as const;

  it('all-to-all bytes per GPU: b·s·k·h·2·(e−1)/e per call, 6 calls per MoE layer with full recompute', () => {
    const seq = { ...ds, seq: 4096 };
    const a = expertAllToAll(seq, cfg, 64)!;
    expect(a.bytesPerCall).toBe((1 * 4096 * 8 * 7168 * 2 * 63) / 64);
    // 58 MoE layers over 16 stages: the fullest stage has 4; 32 micro-batches.
    expect(a.calls).toBe(4 * 32 * 6);
    expect(expertAllToAll(seq, cfg, 1)).toBeNull();
    expect(expertAllToAll({ ...MODEL_PRESETS.find((m) => m.id === 'llama3.1-70b')!, seq: 4096 }, cfg, 8)).toBeNull();
  });

  it('splits routed-expert states over e; ZeRO-sharded states are the same either way', () => {
    const seq = { ...ds, seq: 4096 };
    const ddp1 = memoryPerGpu(seq, { ...cfg, strategy: 'ddp', ep: 1 });
    const ddp64 = memoryPerGpu(seq, { ...cfg, strategy: 'ddp', ep: 64 });
    const c = countParams(ds.arch!);
    const routed = c.moeLayers * 256 * c.expertParams;
    expect(ddp1.params - ddp64.params).toBeCloseTo((2 * (routed - routed / 64)) / 16, -3);
    const z3a = memoryPerGpu(seq, { ...cfg, strategy: 'zero3', ep: 1 });
    const z3b = memoryPerGpu(seq, { ...cfg, strategy: 'zero3', ep: 64 });
    expect(z3b.params + z3b.grads + z3b.optimizer).toBeCloseTo(z3a.params + z3a.grads + z3a.optimizer, -3);
  });

  it('the lab names a degree that cannot divide the experts or the data-parallel group', async () => {
    const own = { ...base, model: 'mixtral-8x7b', ep: 16 } as ClusterParams;
    const r = await runCluster(ctx, own);
    expect(r.layoutProblems.join()).toMatch(/expert parallel 16 must divide the 8 experts/);
    const dense = await runCluster(ctx, { ...base, ep: 2 } as ClusterParams);
    expect(dense.layoutProblems.join()).toMatch(/needs a mixture-of-experts model/);
    const ok = await runCluster(ctx, { ...own, ep: 8 } as ClusterParams);
    expect(ok.layoutProblems).toEqual([]);
    expect(ok.step!.ep.bytes).toBeGreaterThan(0);
  });
});
