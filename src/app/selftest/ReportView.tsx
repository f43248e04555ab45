import { ms, sci, type SelfTestReport, type VariantResult } from '../../selftest';

/**
 * A self-test report as text: the adapter (what a failure must be reproduced on), the summary and
 * one row per variant. Everything is rendered as React text nodes, so a report from a link (someone
 * else's, validated by parseReport) can never inject markup.
 */
const STATUS_TEXT: Record<VariantResult['status'], string> = { pass: '✓ pass', fail: '✗ fail', skip: '– skipped' };

export function AdapterFacts({
  report,
}: {
  report: Pick<SelfTestReport, 'adapter' | 'environment' | 'app' | 'driver'>;
}) {
  const a = report.adapter;
  const l = a.limits;
  return (
    <dl className="selftest-facts" data-testid="selftest-adapter">
      <dt>Adapter</dt>
      <dd>
        {a.vendor} / {a.architecture}
        {a.description ? ` (${a.description})` : ''}
        {a.software ? ', a software (CPU) adapter' : ''}
      </dd>
      <dt>Features</dt>
      <dd>{a.features.length ? a.features.join(', ') : 'none'}</dd>
      <dt>Subgroups</dt>
      <dd>
        {a.subgroupSizes
          ? a.subgroupSizes.min === a.subgroupSizes.max
            ? `${a.subgroupSizes.min} wide`
            : `${a.subgroupSizes.min} to ${a.subgroupSizes.max} wide`
          : 'sizes not reported by this browser'}
      </dd>
      <dt>Limits</dt>
      <dd>
        {l.maxComputeInvocationsPerWorkgroup} invocations per workgroup,{' '}
        {(l.maxComputeWorkgroupStorageSize / 1024).toFixed(0)} KiB workgroup memory,{' '}
        {(l.maxStorageBufferBindingSize / 2 ** 20).toFixed(0)} MiB per storage binding
      </dd>
      <dt>Browser</dt>
      <dd>
        {report.environment}
        {report.driver ? `; driver ${report.driver}` : ''}
      </dd>
      <dt>App</dt>
      <dd>
        {report.app.name} {report.app.version}
        {report.app.commit ? ` (${report.app.commit})` : ''}
      </dd>
    </dl>
  );
}

export function Summary({ report }: { report: Pick<SelfTestReport, 'summary' | 'durationMs'> }) {
  const s = report.summary;
  return (
    <p className={`selftest-summary ${s.fail ? 'has-fail' : ''}`} data-testid="selftest-summary">
      {s.fail ? `${s.fail} failed, ` : ''}
      {s.pass} passed{s.fail ? '' : ', none failed'}, {s.skip} skipped
      {report.durationMs ? ` in ${(report.durationMs / 1000).toFixed(1)} s` : ''}.
    </p>
  );
}

export function ResultsRows({ results, caption }: { results: readonly VariantResult[]; caption: string }) {
  return (
    <div className="selftest-table" role="region" aria-label={caption} tabIndex={0}>
      <table data-testid="selftest-results">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Result</th>
            <th scope="col">Variant</th>
            <th scope="col">Shape</th>
            <th scope="col">Error / tolerance</th>
            <th scope="col">Compile</th>
            <th scope="col">First run</th>
            <th scope="col">Steady</th>
          </tr>
        </thead>
        <tbody>
          {results.map((r) => (
            <tr key={r.id} className={`st-${r.status}`} data-status={r.status} data-testid="selftest-row">
              <td>{STATUS_TEXT[r.status]}</td>
              <th scope="row">
                {r.id}
                {r.features.length ? <span className="muted"> ({r.features.join(', ')})</span> : null}
                {r.message ? <span className="selftest-message">{r.message}</span> : null}
              </th>
              <td>{r.shape}</td>
              <td>
                {sci(r.error)} / {sci(r.tolerance)}
              </td>
              <td>{ms(r.compileMs)}</td>
              <td>{ms(r.firstDispatchMs)}</td>
              <td>
                {ms(r.steadyMs)}
                {r.timing === 'wallclock' ? ' (wall clock)' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
