import { describe, expect, it } from 'vitest';
import { defaults } from '../../src/labkit/schema';
import { meta } from '../../src/labs/decode/meta';
import { decodePeerJob, peerKey, PEER_TOLERANCE } from '../../src/labs/decode/peerJob';
import { KERNEL_TOLERANCE, type DecodeParams } from '../../src/labs/decode/run';
import { testRuntime } from '../helpers/gpu';

/** Issue 25, item 12: the decode lab compares its int4 GEMV with onnxruntime-web's MatMulNBits on demand. */
describe('decode lab: comparison with onnxruntime-web MatMulNBits', () => {
  const params = { ...defaults(meta.schema), N: 64, K: 256, M: 2, group: '32' } as DecodeParams;

  it('checks both against float64, times them in alternating rounds, and keys on what it read', async () => {
    const rt = await testRuntime();
    const progress: string[] = [];
    const r = await decodePeerJob(
      { runtime: rt, signal: new AbortController().signal, progress: (_f, t) => progress.push(t ?? '') },
      params,
    );
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect([r.N, r.K, r.M, r.group]).toEqual([64, 256, 2, 32]);
    expect(r.ours.relError).toBeLessThan(KERNEL_TOLERANCE);
    expect(r.ort.error).toBeNull();
    expect(r.ort.relError).toBeLessThan(PEER_TOLERANCE);
    expect(r.ours.samplesMs).toHaveLength(r.rounds);
    expect(r.ort.samplesMs).toHaveLength(r.rounds);
    expect(r.ours.medianMs).toBeGreaterThan(0);
    expect(r.ort.medianMs).toBeGreaterThan(0);
    expect(r.ort.version).toMatch(/^\d+\.\d+/);
    expect(progress).toContain('done');
    // Speculative-decoding controls do not change what the comparison runs; the group does.
    expect(peerKey({ ...params, alpha: 0.5 })).toBe(peerKey(params));
    expect(peerKey({ ...params, group: '128' })).not.toBe(peerKey(params));
  }, 300_000);

  it('stops when cancelled', async () => {
    const rt = await testRuntime();
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(
      decodePeerJob({ runtime: rt, signal: ctrl.signal, progress: () => undefined }, params),
    ).rejects.toThrow(/Cancel|Abort/);
  });
});
