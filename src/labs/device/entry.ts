import { fmtBytes } from '../../ui/format';
import type { Ceilings } from '../../kernels/ceilings/ceilings';
import { defineModule, type RooflinePoint } from '../../labkit/contract';
import { meta } from './meta';
import { runDeviceLab } from './run';
import { DeviceView } from './View';

/** The two roofs as measured kernels on the shared roofline. */
export function deviceRoofline(data: Ceilings, adapter: string): RooflinePoint[] {
  return [
    {
      id: 'device/copy',
      lab: 'device',
      kernel: 'copy',
      variant: 'vec4',
      size: fmtBytes(data.params.copyMiB * 2 ** 20),
      flops: data.copy.flops,
      bytes: data.copy.bytesMoved,
      ms: data.copy.medianMs,
      adapter,
    },
    {
      id: 'device/fma',
      lab: 'device',
      kernel: 'fma',
      variant: 'chain',
      size: `${data.params.fmaThreads} K × ${data.params.fmaIterations}`,
      flops: data.fma.flops,
      bytes: data.fma.bytesMoved,
      ms: data.fma.medianMs,
      adapter,
    },
  ];
}

export default defineModule(meta, {
  run: runDeviceLab,
  View: DeviceView,
  roofline: (data, _params, adapter) => deviceRoofline(data, adapter),
  // A full measurement replaces the quick startup probe as this device's roofs.
  ceilings: (data) => data,
});
