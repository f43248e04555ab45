import type { Measurement } from '../../data/measure';
import { groupSizes } from '../../data/shard';
import { ChartFrame } from '../../ui/ChartFrame';
import { fmtBytes, fmtCount, fmtMs, fmtRatio, fmtRate } from '../../ui/format';
import { ResultsTable } from '../../ui/ResultsTable';
import { LabSections } from '../../ui/Section';
import type { LabViewProps } from '../../labkit/contract';
import { measurementColumns } from './columns';
import { FILE_JOB, FilePanel, type DataFormatsJobs } from './FilePanel';
import { RateBars } from './RateBars';
import type { meta } from './meta';
import type { DataFormatsResult } from './run';
import { ShardGrid } from './ShardGrid';
import { SizeBars } from './SizeBars';
import './data-formats.css';
import { dataFormatsGuard } from './guard';
import { GuardNote } from '../../ui/GuardNote';

const find = (ms: Measurement[], variant: string, pattern: Measurement['pattern']) =>
  ms.find((m) => m.variant === variant && m.pattern === pattern);

export function DataFormatsView({
  result,
  stale,
  jobs,
  actions,
}: LabViewProps<typeof meta.schema, DataFormatsResult, DataFormatsJobs>) {
  const data = result.data;
  const r = data?.report;
  const ms = r?.measurements ?? [];
  const csvProj = find(ms, 'csv', 'projection');
  const pqProj = find(ms, 'parquet-snappy', 'projection');
  const pqFilter = find(ms, 'parquet-snappy', 'filter');
  const arrowProj = find(ms, 'arrow', 'projection');
  const csvSize = r?.variants.find((v) => v.id === 'csv')?.bytes ?? 0;
  const gz = r?.variants.find((v) => v.id === 'parquet-gzip');
  const sn = r?.variants.find((v) => v.id === 'parquet-snappy');
  const pqFull = find(ms, 'parquet-snappy', 'full');
  const gzFull = find(ms, 'parquet-gzip', 'full');
  const noneFull = find(ms, 'parquet-none', 'full');
  const totalCols = data ? data.features + 2 : 0;
  const plan = data?.shards;
  const groupRows = data ? groupSizes(data.rows, data.rowGroupRows) : [];

  return (
    <LabSections
      picture={
        <>
          {result.status === 'running' && !data ? <p className="muted">Measuring… {result.progressText}</p> : null}
          {result.status === 'error' ? <p className="notice df-error">{result.error}</p> : null}
          {r ? (
            <>
              <ChartFrame title="One table, six files: size on disk (written in this tab)" name="data-formats-sizes">
                <SizeBars variants={r.variants} />
              </ChartFrame>
              <ChartFrame
                title="Rows per second by access pattern (measured in this tab, log scale)"
                name="data-formats-rates"
              >
                <RateBars
                  rows={ms}
                  patternTitle={(p, m) =>
                    p === 'full'
                      ? `full read: all ${m.columnsRead} numeric columns`
                      : p === 'projection'
                        ? `projection: ${m.columnsRead} of ${data!.features} feature columns`
                        : `filter day ≥ ${r.cut} (keeps ${Math.round((1 - r.cut / r.days) * 100)}% of rows), then ${m.columnsRead} columns`
                  }
                />
              </ChartFrame>
            </>
          ) : null}
          {plan ? (
            <ChartFrame
              title={`Sharding: ${plan.groups} row groups over ${plan.ranks} data-parallel rank${plan.ranks === 1 ? '' : 's'}`}
              name="data-formats-shards"
            >
              <ShardGrid plan={plan} groupRows={groupRows} />
              <p className={plan.even ? 'muted' : 'df-shard-note'} data-testid="shard-note">
                {plan.even
                  ? `${plan.ranks} divides ${plan.groups}: every rank reads ${fmtCount(plan.rowsByRank[0])} rows from its own byte ranges, and all finish together.`
                  : `${plan.ranks} does not divide ${plan.groups} row groups: ranks hold ${[...new Set(plan.rowsByRank)].map(fmtCount).join(' or ')} rows. In lock-step training every rank must take a batch each step, so the epoch lasts ${fmtCount(plan.stepsEven)} steps of ${data!.shardBatch}: either ${fmtCount(plan.rowsDropped)} rows go unread this epoch (drop the tail), or the short ranks re-read ${fmtCount(plan.rowsPadded)} rows (pad, as PyTorch’s DistributedSampler does). Smaller row groups or R dividing the group count shrink the gap.`}
              </p>
            </ChartFrame>
          ) : null}
          <h3 className="df-h">Bring your own file</h3>
          <FilePanel job={jobs[FILE_JOB]} actions={actions} />
        </>
      }
      results={
        <>
          {data?.notes.map((n) => (
            <p key={n} className="notice">
              {n}
            </p>
          ))}
          {r && csvProj && pqProj ? (
            <div className="df-kpis" role="status" data-testid="kpis">
              <span>
                Parquet (projection, {pqProj.columnsRead} of {data!.features}) vs CSV:{' '}
                <strong data-testid="pq-vs-csv">{fmtRatio(pqProj.rowsPerS / csvProj.rowsPerS)}</strong> the rows/s,{' '}
                {fmtBytes(pqProj.bytesTouched)} touched instead of {fmtBytes(csvProj.bytesTouched)}
              </span>
              {pqFilter ? (
                <span>
                  Filter: {pqFilter.groupsSkipped} of {pqFilter.groupsTotal} row groups skipped by their min/max
                  statistics
                </span>
              ) : null}
              {arrowProj ? (
                <span>
                  Arrow projection: {fmtRate(arrowProj.rowsPerS, 'rows')} (views into the file, nothing decoded)
                </span>
              ) : null}
              <span>
                CSV → Parquet conversion: {fmtMs(r.convertMs)} for {fmtBytes(csvSize)} of text
              </span>
            </div>
          ) : null}
          <GuardNote
            message={
              data && csvProj && pqProj
                ? dataFormatsGuard({
                    csvRowsPerS: csvProj.rowsPerS,
                    parquetRowsPerS: pqProj.rowsPerS,
                    arrowRowsPerS: arrowProj?.rowsPerS ?? null,
                    parquetMs: pqProj.ms,
                    rows: data.rows,
                  })
                : null
            }
          />
          <ResultsTable<Measurement>
            caption={
              data
                ? `${fmtCount(data.rows)} rows × ${totalCols + 1} columns (id, day, source, ${data.features} features), row groups of ${fmtCount(data.rowGroupRows)}; measured in this tab`
                : 'Reads'
            }
            name="data-formats"
            columns={measurementColumns(totalCols)}
            rows={ms}
            stale={stale}
            rowKey={(m) => `${m.variant}:${m.pattern}`}
          />
          {r ? (
            <p className="muted">
              Each time is the best of a few runs in a worker of this tab (the least-disturbed one); every answer is
              checked against the table in memory, filtered on the CPU. Writing: hyparquet-writer (snappy built in, gzip
              through fflate; it has no zstd compressor, so zstd files can be read here but not written), flechette for
              Arrow, our own text writer for CSV.
            </p>
          ) : null}
        </>
      }
      explanation={
        <>
          <p>
            <strong>CSV is a row format of text.</strong> To get one column out, a reader still scans every byte and
            splits every field of every line, then turns digits into numbers: projection saves only the conversions,
            never the scan, and a filter has to parse everything before it can look at a value. The file is also the
            biggest: “-0.1234,” spends 8 bytes on a float that needs 4.
          </p>
          <p>
            <strong>Parquet is columnar and binary.</strong> Each row group stores every column as its own chunk of
            pages, typed (FLOAT, INT32), optionally dictionary-encoded (the six-valued <code>source</code> and the
            sorted <code>day</code> become small integer codes) and compressed. A footer lists where every chunk starts
            and its min/max, so a reader fetches only the chunks of the k columns asked for (“bytes touched” counts what
            hyparquet actually read), and a filter on <code>day</code> drops whole row groups whose max is below the cut
            without reading them: predicate pushdown.
          </p>
          <p>
            <strong>Compression ratio vs decode cost.</strong> Random float features barely compress (compare the snappy
            and gzip sizes with uncompressed), while the text and repeated columns do. Gzip squeezes hard and
            decompresses slowest; snappy trades size for speed, which is why it is the common default; zstd (readable
            here) compresses about as well as gzip and decompresses several times faster, so it is the usual choice when
            size matters. When the data comes over a network or from object storage, fewer bytes win; when it is already
            in memory, decode cost decides.
          </p>
          <p>
            <strong>Arrow is the in-memory format.</strong> An Arrow IPC file is laid out exactly as the columns are
            held in memory, so “reading” a column is a view into the file’s bytes, with no decoding. The roadmap’s
            pattern: store in Parquet (small, skippable), convert to Arrow once (fast to scan), and build the batch
            tensor only at the last step. The data pipeline lab’s workers read these same three formats.
          </p>
          <p>
            <strong>Sharding.</strong> With R data-parallel ranks, rank r reads row groups r, r+R, … so each rank
            fetches only its own byte ranges. When R does not divide the number of row groups, some ranks own one group
            more: they either wait, or the others are padded, or the tail is dropped.
          </p>
          {pqFull && gzFull && noneFull && sn && gz ? (
            <p className="muted">
              This run: snappy {fmtBytes(sn.bytes)} read in {fmtMs(pqFull.ms)}, gzip {fmtBytes(gz.bytes)} in{' '}
              {fmtMs(gzFull.ms)}, uncompressed in {fmtMs(noneFull.ms)} (full reads; this CPU, this tab).
            </p>
          ) : null}
        </>
      }
    />
  );
}
