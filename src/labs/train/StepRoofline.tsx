import { useMemo } from 'react';
import { Roofline } from '../../charts/Roofline';
import type { DeviceContext, RooflinePoint } from '../../labkit/contract';
import type { StepCost, StepTiming } from '../../model/train/backend';

const GROUPS: { key: keyof StepCost; label: string }[] = [
  { key: 'matmul', label: 'matmuls' },
  { key: 'attention', label: 'attention' },
  { key: 'norms', label: 'norms' },
  { key: 'elementwise', label: 'embeddings, GELU, loss' },
  { key: 'optimizer', label: 'optimizer' },
];

/**
 * The training step's points for the shared roofline: per kernel group and for the whole step
 * (data wait excluded: it moves no bytes on the GPU). FLOPs and bytes come from the kernels' cost
 * models, times from the profiled step's GPU timestamps.
 */
export function stepPoints(cost: StepCost, timing: StepTiming, size: string, adapter: string): RooflinePoint[] {
  const out: RooflinePoint[] = [];
  let flops = 0;
  let bytes = 0;
  let ms = 0;
  for (const g of GROUPS) {
    const c = cost[g.key];
    const t = timing[g.key];
    flops += c.flops;
    bytes += c.bytesRead + c.bytesWritten;
    ms += t;
    if (t > 0)
      out.push({
        id: `train/${g.key}/${size}`,
        lab: 'train',
        kernel: 'train step',
        variant: g.label,
        size,
        flops: c.flops,
        bytes: c.bytesRead + c.bytesWritten,
        ms: t,
        adapter,
      });
  }
  if (ms > 0)
    out.push({
      id: `train/step/${size}`,
      lab: 'train',
      kernel: 'train step',
      variant: 'whole step',
      size,
      flops,
      bytes,
      ms,
      adapter,
    });
  return out;
}

export function StepRoofline({
  cost,
  timing,
  size,
  device,
}: {
  cost: StepCost | null;
  timing: StepTiming | null;
  size: string;
  device: DeviceContext;
}) {
  const adapter = device.info?.name ?? 'this adapter';
  const ours = useMemo(
    () => (cost && timing?.source === 'timestamp' ? stepPoints(cost, timing, size, adapter) : []),
    [cost, timing, size, adapter],
  );
  if (!ours.length)
    return (
      <p className="muted" data-testid="train-roofline">
        The step on the roofline:{' '}
        {cost
          ? 'waiting for a step profiled with GPU timestamps (one in ten).'
          : 'only for the GPU step, whose kernels have cost models and timestamps.'}
      </p>
    );
  return (
    <div data-testid="train-roofline">
      <Roofline
        points={[...device.points.filter((p) => p.lab !== 'train'), ...ours]}
        ceilings={device.ceilings}
        highlightLab="train"
      />
      <p className="muted">
        FLOPs and bytes per step from each kernel’s cost model (the counts its instrumented build is tested to equal;
        the copies between per-tensor and flat buffers left out); time from the profiled step’s GPU timestamps; roofs
        from this device’s measured copy bandwidth and FMA peak
        {device.ceilings ? '' : ' (not measured yet: open the device lab to draw them)'}. A point far below its roof is
        a kernel group that does not feed the GPU; on SwiftShader the times are a CPU’s.
      </p>
    </div>
  );
}
