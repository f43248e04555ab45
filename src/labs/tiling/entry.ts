import { defineModule, type RooflinePoint } from '../../labkit/contract';
import { meta } from './meta';
import { shapeLabel } from './params';
import { runTilingLab, type TilingResult } from './run';
import { TilingView } from './View';

/** Each measured kernel is a point on the shared roofline; one per kernel and size, and earlier sizes stay. */
export function tilingRoofline(data: TilingResult): RooflinePoint[] {
  const size = `${data.dims.M}×${data.dims.N}×${data.dims.K}`;
  return data.runs.map((r) => ({
    id: `tiling/matmul/${r.variant}/${size}`,
    lab: 'tiling',
    kernel: 'matmul',
    variant: r.label,
    size: r.variant === 'naive' ? size : `${size}, tile ${shapeLabel(r.variant, r.shape)}`,
    flops: r.cost.flops,
    bytes: r.cost.bytesRead + r.cost.bytesWritten,
    ms: r.medianMs,
    adapter: data.adapter,
  }));
}

export default defineModule(meta, {
  run: runTilingLab,
  View: TilingView,
  roofline: tilingRoofline,
  keepEarlierPoints: true,
});
