import type { StepTiming } from '../../model/train/backend';
import { fmtMs } from '../../ui/format';

const PARTS: { key: keyof Omit<StepTiming, 'source'>; label: string; color: string }[] = [
  { key: 'matmul', label: 'matmuls', color: '--compute' },
  { key: 'attention', label: 'attention', color: '--sram' },
  { key: 'norms', label: 'norms', color: '--hbm' },
  { key: 'elementwise', label: 'embeddings, GELU, loss', color: '--hbm-soft' },
  { key: 'optimizer', label: 'optimizer', color: '--accent' },
  { key: 'data', label: 'data wait', color: '--idle' },
];

/** One step's time as a stacked bar by kind of kernel, from GPU timestamp queries. */
export function StepSplit({
  timing,
  stepMs,
  onGpu,
}: {
  timing: StepTiming | null;
  stepMs: number | null;
  onGpu: boolean;
}) {
  if (!timing) {
    return (
      <p className="muted" data-testid="train-split">
        Per-step time split by kernel (matmuls, attention, norms, optimizer, data wait):{' '}
        {onGpu
          ? 'from GPU timestamp queries on one step in ten, where this device offers them'
          : 'only for the GPU step (timestamp queries around its kernels); the CPU reference has no kernels to time'}
        {stepMs !== null ? `. This step: ${fmtMs(stepMs)}, wall clock.` : '.'}
      </p>
    );
  }
  const total = PARTS.reduce((a, p) => a + timing[p.key], 0) || 1;
  return (
    <figure className="train-split" data-testid="train-split">
      <div
        className="train-split-bar"
        role="img"
        aria-label={`Step time split: ${PARTS.map((p) => `${p.label} ${fmtMs(timing[p.key])}`).join(', ')}`}
      >
        {PARTS.map((p) => (
          <span
            key={p.key}
            style={{ flexGrow: timing[p.key] / total, background: `var(${p.color})` }}
            title={`${p.label}: ${fmtMs(timing[p.key])}`}
          />
        ))}
      </div>
      <figcaption>
        {PARTS.map((p) => (
          <span key={p.key}>
            <span className="train-swatch" style={{ background: `var(${p.color})` }} /> {p.label}{' '}
            {fmtMs(timing[p.key])}{' '}
          </span>
        ))}
        <span className="muted">({timing.source === 'timestamp' ? 'GPU timestamps' : 'wall clock'})</span>
      </figcaption>
    </figure>
  );
}
