import type { RooflinePoint } from '../../labkit/contract';
import { defineModule } from '../../labkit/contract';
import { meta } from './meta';
import { runDecode, type DecodeResult } from './run';
import { DecodeView } from './View';

/** One point per weight format; bytes are W + x + y once (what DRAM must move), not the cached re-reads of x. */
function roofline(r: DecodeResult, _params: unknown, adapter: string): RooflinePoint[] {
  return r.rows.map((row) => ({
    id: `decode/${row.variant}/${r.N}x${r.K}/M${r.M}`,
    lab: 'decode',
    kernel: `GEMV y = x·Wᵀ (${row.bitsPerWeight.toFixed(2)} bits/weight)`,
    variant: row.label,
    size: `W ${r.N}×${r.K}, M = ${r.M}`,
    flops: row.flops,
    bytes: row.compulsoryBytes,
    ms: row.medianMs,
    adapter,
  }));
}

export default defineModule(meta, { run: runDecode, View: DecodeView, roofline });
