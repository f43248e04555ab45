import { fmtCount, fmtMs, fmtPct, fmtRatio } from '../../ui/format';
import type { PrefixResult } from './jobs';
import { JobBar } from '../../ui/JobBar';
import type { JobPanelProps } from './panel';

const sec = (s: number) => fmtMs(s * 1000);

function Bars({ off, on, label }: { off: number; on: number; label: string }) {
  const max = Math.max(off, on, 1e-12);
  return (
    <div
      className="srv-pair"
      role="img"
      aria-label={`${label}: ${sec(off)} without prefix caching, ${sec(on)} with it`}
    >
      <span className="srv-pair-label">{label}</span>
      <span className="srv-pair-row">
        <span className="srv-pair-track">
          <span className="srv-pair-bar srv-bar-off" style={{ width: `${(off / max) * 100}%` }} />
        </span>
        <span>off {sec(off)}</span>
      </span>
      <span className="srv-pair-row">
        <span className="srv-pair-track">
          <span className="srv-pair-bar srv-bar-on" style={{ width: `${(on / max) * 100}%` }} />
        </span>
        <span>on {sec(on)}</span>
      </span>
    </div>
  );
}

export function PrefixPanel({ params, job, stale, onRun, onCancel, settings }: JobPanelProps<PrefixResult>) {
  const d = job?.data ?? null;
  return (
    <section className="srv-panel" aria-label="Prefix caching" data-testid="srv-prefix">
      <h3>Prefix caching</h3>
      <p className="muted">
        The same {fmtCount(params.requests)} requests at {params.prefixQps} req/s with automatic prefix caching off and
        on. Full KV blocks are keyed by hash(parent block’s hash, block tokens), so a hit means the whole prefix
        matches; freed blocks stay cached until memory is needed (least recently used first). Try the multi-turn mix, a
        shared system prompt, and a smaller KV memory share.
      </p>
      {settings}
      <JobBar
        job={job}
        label="Compare off vs on"
        again="Compare again"
        onRun={onRun}
        onCancel={onCancel}
        testId="srv-prefix-run"
      />
      {d ? (
        <div style={stale ? { opacity: 0.5 } : undefined}>
          {stale ? <p className="stale-note">Compared with other parameters: compare again.</p> : null}
          <dl className="srv-kpis">
            <div>
              <dt>Prompt tokens from cache</dt>
              <dd data-testid="srv-prefix-hit">{fmtPct(d.hitRate)}</dd>
            </div>
            <div>
              <dt>TTFT P50 gain</dt>
              <dd>{fmtRatio(d.ttftGainP50)}</dd>
            </div>
            <div>
              <dt>TTFT P99 gain</dt>
              <dd>{fmtRatio(d.ttftGainP99)}</dd>
            </div>
            <div>
              <dt>Cached blocks evicted (LRU)</dt>
              <dd>{fmtCount(d.evictions)}</dd>
            </div>
            <div>
              <dt>Preemptions off / on</dt>
              <dd>
                {fmtCount(d.off.preemptions)} / {fmtCount(d.on.preemptions)}
              </dd>
            </div>
          </dl>
          <Bars off={d.off.ttft.p50} on={d.on.ttft.p50} label="TTFT P50" />
          <Bars off={d.off.ttft.p99} on={d.on.ttft.p99} label="TTFT P99" />
          <p className="muted">
            {d.hitRate < 0.05
              ? 'Almost no hits: these prompts share no prefix. Add a shared system prompt or pick multi-turn chats.'
              : 'Hits skip prefill compute for the cached part of the prompt; the KV still occupies memory and is still read by attention.'}{' '}
            {d.provenance}.
          </p>
        </div>
      ) : null}
    </section>
  );
}
