import { defineModule, type RooflinePoint } from '../../labkit/contract';
import { meta } from './meta';
import { runAttentionLab, type AttentionRunResult } from './run';
import { AttentionView } from './View';

/** The tiled kernel, and the standard one when it ran, on the shared roofline; a new run replaces them. */
export function attentionRoofline(data: AttentionRunResult): RooflinePoint[] {
  const size = `N = ${data.shape.n}, d = ${data.shape.d}, ${data.shape.bh} head${data.shape.bh > 1 ? 's' : ''}${data.shape.causal ? ', causal' : ''}`;
  const runs = [
    {
      id: 'attention/tiled',
      variant: `tiled Br=${data.tile.br} Bc=${data.tile.bc}${data.tile.rows ? ` rows=${data.tile.rows}` : ''}`,
      r: data.tiled,
    },
  ];
  if (data.standard) runs.push({ id: 'attention/standard', variant: 'standard', r: data.standard });
  return runs.map(({ id, variant, r }) => ({
    id,
    lab: 'attention',
    kernel: 'attention',
    variant,
    size,
    flops: r.flops,
    bytes: r.bytesRead + r.bytesWritten,
    ms: r.medianMs,
    adapter: data.adapter,
  }));
}

export default defineModule(meta, { run: runAttentionLab, View: AttentionView, roofline: attentionRoofline });
