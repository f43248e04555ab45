import { fmtBytes, fmtRatio } from '../../ui/format';
import { tileStepTraffic } from '../../kernels/matmul/cost';
import type { MatmulDims, TileShape } from '../../kernels/matmul/types';
import { workgroupBytes } from '../../kernels/matmul/workgroup';
import type { TiledVariant } from './params';

interface Props {
  dims: MatmulDims;
  shape: TileShape;
  variant: TiledVariant;
  tile: { tm: number; tn: number };
  step: number;
  workgroupLimit: number | null;
}

/** The numbers of one workgroup's K loop so far, from the same model the kernels' counters are held to. */
export function KLoopPanel({ dims, shape, variant, tile, step, workgroupLimit }: Props) {
  const t = tileStepTraffic(dims, shape, tile.tm, tile.tn, step);
  const sram = workgroupBytes(variant, shape);
  const depthNow = Math.max(0, Math.min(shape.tileK, dims.K - step * shape.tileK));
  // Not a live region: these tick on every frame of the K loop animation (live regions announce results, never an animation's ticks).
  return (
    <dl className="tiling-counters">
      <dt>Global memory read by this workgroup so far</dt>
      <dd className="hbm big" data-testid="kloop-global">
        {fmtBytes(t.bytesRead)}
      </dd>
      <dt>In workgroup memory this step</dt>
      <dd className="sram">
        A {t.rows}×{depthNow} + B {depthNow}×{t.cols} = {fmtBytes((t.rows + t.cols) * depthNow * 4)}
        <br />
        <span className="muted">
          arrays declared: {fmtBytes(sram)}
          {workgroupLimit ? ` of ${fmtBytes(workgroupLimit)} this device allows` : ''}
        </span>
      </dd>
      <dt>Without tiling, these {t.rows * t.cols} outputs would have read</dt>
      <dd className="hbm">{fmtBytes(t.naiveBytes)}</dd>
      <dt>Reuse factor (naive bytes ÷ tiled bytes)</dt>
      <dd className="big" data-testid="kloop-reuse">
        {fmtRatio(t.bytesRead ? t.naiveBytes / t.bytesRead : 0)}
      </dd>
      <dd className="muted">
        Each A value in workgroup memory feeds {t.cols} outputs of its row, each B value {t.rows} outputs of its column.
      </dd>
    </dl>
  );
}
