import { LABS } from '../labs/registry';
import { useApp } from '../store';
import { fmtBytes, fmtGBps, fmtGflops, fmtMs } from '../ui/format';
import { NoWebGpu } from './NoWebGpu';
import { ScenarioGallery } from './ScenarioGallery';
import { InterviewList } from './interview/InterviewPage';

/** The device at a glance: what the user's GPU is and the two roofs measured on it. */
export function DeviceSummary() {
  const info = useApp((s) => s.gpuInfo);
  const status = useApp((s) => s.gpuStatus);
  const ceilings = useApp((s) => s.ceilings);
  const ceilingsError = useApp((s) => s.ceilingsError);
  if (status === 'unavailable') return <NoWebGpu />;
  if (!info) return <p className="muted">Asking the browser for a GPU…</p>;
  return (
    <section className="device-summary" aria-label="Your GPU">
      <h2>Your GPU</h2>
      <dl className="kv">
        <dt>Adapter</dt>
        <dd data-testid="adapter-name">
          {info.name}
          {info.description ? ` (${info.description})` : ''}
          {info.software ? ' — a software (CPU) implementation: timings are a CPU’s' : ''}
        </dd>
        <dt>Copy bandwidth</dt>
        <dd className="hbm" data-testid="measured-bandwidth">
          {ceilings
            ? `${fmtGBps(ceilings.copy.gbPerS)} (median of ${ceilings.copy.samplesMs.length} samples of a ${fmtBytes(ceilings.copy.bytesMoved / 2)} copy, ${fmtMs(ceilings.copy.medianMs)} ± ${fmtMs(ceilings.copy.spreadMs)} each)`
            : ceilingsError
              ? `failed: ${ceilingsError}`
              : 'measuring…'}
        </dd>
        <dt>FP32 FMA throughput</dt>
        <dd className="compute" data-testid="measured-compute">
          {ceilings ? fmtGflops(ceilings.fma.gflopPerS) : ceilingsError ? '—' : 'measuring…'}
        </dd>
        <dt>Timing source</dt>
        <dd>
          {info.timestampQuery ? 'GPU timestamp queries' : 'wall clock around onSubmittedWorkDone (no timestamp-query)'}
        </dd>
        <dt>Workgroup memory</dt>
        <dd className="sram">{fmtBytes(info.limits.maxComputeWorkgroupStorageSize)} per workgroup</dd>
        <dt>Invocations per workgroup</dt>
        <dd>{info.limits.maxComputeInvocationsPerWorkgroup}</dd>
        <dt>Largest storage binding</dt>
        <dd>{fmtBytes(info.limits.maxStorageBufferBindingSize)}</dd>
      </dl>
    </section>
  );
}

export function Home() {
  return (
    <div className="home">
      <section className="hero">
        <h1>See why ML infrastructure is built the way it is</h1>
        <p>
          Real WebGPU kernels, checked against a CPU reference and timed on your own GPU, beside live simulations of the
          machinery around them.
        </p>
      </section>
      <ScenarioGallery />
      <InterviewList />
      <DeviceSummary />
      <section aria-label="Labs">
        <h2>Labs</h2>
        <ul className="cards">
          {LABS.map((l) => (
            <li key={l.id} className={`card topic-${l.id}`}>
              <a href={`?lab=${l.id}`}>
                <h3>{l.title}</h3>
                <p>{l.summary}</p>
                {l.gpu === 'none' ? <span className="tag">runs without WebGPU</span> : null}
              </a>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
