import { fmtBytes, fmtGBps, fmtGflops, fmtMs, fmtSI } from '../../ui/format';
import { ChartFrame } from '../../ui/ChartFrame';
import { LabSections } from '../../ui/Section';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import type { Ceilings } from '../../kernels/ceilings/ceilings';
import type { KernelMeasurement } from '../../kernels/measure';
import type { GpuInfo } from '../../gpu/device';
import type { LabViewProps } from '../../labkit/contract';
import type { meta } from './meta';
import { OverheadPanel, type DeviceJobs } from './OverheadPanel';
import { SamplesChart } from './SamplesChart';
import { deviceGuard } from './guard';
import { GuardNote } from '../../ui/GuardNote';

/** The optional features the kernels' variants depend on, and the subgroup width where the browser reports it. */
function featureText(info: GpuInfo): string {
  const has = (f: string) => info.features.includes(f);
  const sg = info.subgroupSizes;
  const subgroups = has('subgroups')
    ? `subgroups (${sg ? (sg.min === sg.max ? `${sg.min} wide` : `${sg.min} to ${sg.max} wide`) : 'width not reported'})`
    : 'no subgroups';
  return `Features: ${has('timestamp-query') ? 'timestamp queries' : 'no timestamp queries (wall clock)'}, ${has('shader-f16') ? 'shader-f16' : 'no shader-f16 (f16 variants are not offered)'}, ${subgroups}.`;
}

interface Row {
  kernel: string;
  m: KernelMeasurement;
  /** The roof this kernel measures: the other column's figure would be a by-product (the FMA chain's few bytes are no bandwidth). */
  roof: 'memory' | 'compute';
}

const columns: Column<Row>[] = [
  { key: 'kernel', label: 'Kernel', render: (r) => r.kernel },
  { key: 'median', label: 'Median', unit: 'time', render: (r) => fmtMs(r.m.medianMs) },
  { key: 'spread', label: 'Spread (IQR)', render: (r) => fmtMs(r.m.spreadMs) },
  {
    key: 'bw',
    label: 'Bandwidth',
    render: (r) => (r.roof === 'memory' ? <span className="hbm">{fmtGBps(r.m.gbPerS)}</span> : '—'),
  },
  {
    key: 'flops',
    label: 'Compute',
    render: (r) => (r.roof === 'compute' ? <span className="compute">{fmtGflops(r.m.gflopPerS)}</span> : '—'),
  },
  { key: 'bytes', label: 'Bytes moved', render: (r) => fmtBytes(r.m.bytesMoved) },
  { key: 'reps', label: 'Repeats/sample', render: (r) => String(r.m.repeats) },
  { key: 'timing', label: 'Timing', render: (r) => r.m.timing },
];

export function DeviceView({
  result,
  stale,
  device,
  actions,
  jobs,
}: LabViewProps<typeof meta.schema, Ceilings, DeviceJobs>) {
  const info = device.info;
  const data = result.data;

  const rows: Row[] = data
    ? [
        { kernel: 'copy (vec4 stream)', m: data.copy, roof: 'memory' },
        { kernel: 'FMA chain', m: data.fma, roof: 'compute' },
      ]
    : [];
  return (
    <LabSections
      picture={
        data ? (
          <ChartFrame title="Timed samples (dots) and median (bar) per kernel" name="device-samples">
            <SamplesChart
              rows={[
                { label: 'copy', className: 'hbm', m: data.copy },
                { label: 'FMA chain', className: 'compute', m: data.fma },
              ]}
            />
          </ChartFrame>
        ) : (
          <p className="muted">{result.status === 'running' ? 'Measuring…' : 'Run to measure this device.'}</p>
        )
      }
      results={
        <>
          <ResultsTable
            caption="Measured ceilings"
            columns={columns}
            rows={rows}
            stale={stale}
            rowKey={(r) => r.kernel}
          />
          <GuardNote
            message={
              data
                ? deviceGuard({
                    copyGBps: data.copy.gbPerS,
                    fmaGflops: data.fma.gflopPerS,
                    software: Boolean(info?.software),
                  })
                : null
            }
          />
          {info ? (
            <p className="muted">
              Limits: {fmtBytes(info.limits.maxComputeWorkgroupStorageSize)} workgroup memory,{' '}
              {info.limits.maxComputeInvocationsPerWorkgroup} invocations per workgroup,{' '}
              {fmtBytes(info.limits.maxStorageBufferBindingSize)} largest storage binding,{' '}
              {fmtSI(info.limits.maxComputeWorkgroupsPerDimension, '')} workgroups per dimension.{' '}
              <span data-testid="device-features">{featureText(info)}</span>
            </p>
          ) : null}
          <button
            type="button"
            className="btn"
            onClick={actions.loseDevice}
            title="Destroys the GPU device, as a driver reset would, to show that the app recovers"
          >
            Simulate device loss
          </button>
          <OverheadPanel jobs={jobs} actions={actions} device={device} />
        </>
      }
      explanation={
        <>
          <p>
            The <strong className="hbm">copy</strong> kernel streams one buffer into another, 16 bytes per invocation,
            with no arithmetic: its rate is the achievable memory bandwidth, the slanted roof of the roofline (STREAM’s
            “copy”, McCalpin 1995). The <strong className="compute">FMA chain</strong> keeps values in registers and
            does 16 FLOPs per loop step: its rate is the achievable FP32 compute, the flat roof.
          </p>
          <p>
            Each sample repeats the kernel until it lasts at least 2 ms, because Chrome rounds WebGPU timestamps to 100
            µs (unless its WebGPU developer features are switched on; other browsers quantise differently); the table
            gives the median of the samples and their interquartile spread. Achievable figures sit below datasheet
            peaks: vendor peaks assume every unit busy every cycle, and a copy kernel that streams well past the caches
            typically approaches 80–90% of the datasheet bandwidth, not all of it.
          </p>
          {info?.software ? (
            <p>This adapter is a CPU running a software GPU (SwiftShader), so these are a CPU’s numbers.</p>
          ) : null}
        </>
      }
    />
  );
}
