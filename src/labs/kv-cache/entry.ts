import { fmtCount } from '../../ui/format';
import { defineModule, type RooflinePoint } from '../../labkit/contract';
import { meta } from './meta';
import { runKvCacheLab, type KvLabResult } from './run';
import { KvCacheView } from './View';

/** The decode-attention kernel over each layout on the shared roofline (only when the kernel part ran). */
export function kvCacheRoofline(data: KvLabResult): RooflinePoint[] {
  const k = data.kernel;
  if (!k) return [];
  return k.rows.map((r) => ({
    id: `kv-cache/${r.layout}`,
    lab: 'kv-cache',
    kernel: 'decode attention',
    variant: r.layout,
    size: `${k.seqs} seqs, ${fmtCount(k.contextTokens)} ctx tokens`,
    flops: r.flops,
    bytes: r.bytesMoved,
    ms: r.medianMs,
    adapter: k.adapter,
  }));
}

export default defineModule(meta, { run: runKvCacheLab, View: KvCacheView, roofline: kvCacheRoofline });
