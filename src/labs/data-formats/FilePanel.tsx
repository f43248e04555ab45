import { useRef, useState, type DragEvent } from 'react';
import type { Measurement } from '../../data/measure';
import { MAX_FILE_BYTES } from '../../data/inspect';
import { NULL_FILL_LABEL, NULL_FILLS, type NullFill } from '../../data/nulls';
import { fmtBytes, fmtCount, fmtMs } from '../../ui/format';
import { ResultsTable, type Column } from '../../ui/ResultsTable';
import { ChartFrame } from '../../ui/ChartFrame';
import type { FileReport } from '../../workers/formats/api';
import { withFormatsWorker } from '../../workers/formats.client';
import type { LabActions, LabResult } from '../../labkit/contract';
import type { ParamSchema } from '../../labkit/schema';
import { RateBars } from './RateBars';
import { measurementColumns } from './columns';

export const FILE_JOB = 'file';

/** The data-formats lab's jobs, by name: a file of the user's own, inspected in a worker. */
export interface DataFormatsJobs {
  file: FileReport;
}

/** Bring your own file: chosen or dropped, read in a worker, never uploaded. */
export function FilePanel({
  job,
  actions,
}: {
  job: LabResult<FileReport> | undefined;
  actions: Pick<LabActions<ParamSchema, DataFormatsJobs>, 'runJob'>;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  // Chosen before a file is read: what a NULL becomes once the columns are a tensor (never a silent 0).
  const [fill, setFill] = useState<NullFill>('nan');
  const start = (file: File | undefined) => {
    if (!file) return;
    actions.runJob(
      FILE_JOB,
      (ctx) =>
        withFormatsWorker(ctx.signal, (api, proxy) =>
          api.inspect(
            file,
            file.name,
            proxy((f: number, t: string) => ctx.progress(f, t)),
            undefined,
            fill,
          ),
        ),
      { key: `${file.name}:${file.size}:${file.lastModified}:${fill}` },
    );
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    start(e.dataTransfer.files[0]);
  };
  const report = job?.status === 'done' ? job.data : null;
  return (
    <div className="df-file">
      <div
        className={`df-drop${over ? ' df-drop-over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="file-drop"
      >
        <p>
          Drop a <strong>CSV</strong>, <strong>Parquet</strong> or <strong>Arrow</strong> file here, or{' '}
          <button type="button" className="btn btn-small" onClick={() => input.current?.click()}>
            choose a file
          </button>
          <input
            ref={input}
            type="file"
            accept=".csv,.tsv,.txt,.parquet,.pq,.arrow,.arrows,.feather,.ipc"
            hidden
            data-testid="file-input"
            onChange={(e) => {
              start(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </p>
        <p>
          <label>
            NULLs become{' '}
            <select value={fill} onChange={(e) => setFill(e.target.value as NullFill)} data-testid="null-fill">
              {NULL_FILLS.map((f) => (
                <option key={f} value={f}>
                  {NULL_FILL_LABEL[f]}
                </option>
              ))}
            </select>
          </label>{' '}
          <span className="muted">
            in the tensor (NULL counts and filters follow SQL either way: a NULL key never passes a filter).
          </span>
        </p>
        <p className="muted">
          Read inside this tab by a worker, never uploaded: CSV and Arrow up to {fmtBytes(MAX_FILE_BYTES)}; Parquet of
          any size, by its footer and as many whole row groups as fit in {fmtBytes(MAX_FILE_BYTES)}.
        </p>
      </div>
      {job?.status === 'running' ? (
        <p className="muted" role="status">
          {job.progressText || 'Reading…'}
        </p>
      ) : null}
      {job?.status === 'error' ? (
        <p className="notice df-error" role="alert" data-testid="file-error">
          {job.error}
        </p>
      ) : null}
      {report ? <FileReportView report={report} /> : null}
    </div>
  );
}

/** Integers exactly (a uint32 near 4e9 must not read as 3999760000), fractions to 6 digits. */
const stat = (v: number) => (Number.isInteger(v) ? String(v) : String(+v.toPrecision(6)));

function FileReportView({ report }: { report: FileReport }) {
  const { info, result } = report;
  const schemaCols: Column<(typeof info.columns)[number]>[] = [
    { key: 'name', label: 'Column', render: (c) => <code>{c.name}</code>, value: (c) => c.name },
    { key: 'type', label: 'Type', render: (c) => c.type },
    {
      key: 'nulls',
      label: 'NULLs',
      render: (c) =>
        c.kind === 'nested'
          ? '—'
          : c.nulls === null
            ? 'not stated'
            : c.nulls
              ? `${fmtCount(c.nulls)} (${+((100 * c.nulls) / Math.max(1, info.rows)).toPrecision(2)}%)`
              : '0',
      value: (c) => c.nulls ?? '',
    },
    {
      key: 'use',
      label: 'In the tensor',
      render: (c) =>
        c.numeric ? (c.nulls ? `yes, NULL → ${result ? NULL_FILL_LABEL[result.fill] : '—'}` : 'yes') : (c.note ?? 'no'),
    },
    { key: 'enc', label: 'Encodings', render: (c) => c.encodings ?? '—' },
    { key: 'codec', label: 'Compression', render: (c) => c.compression ?? '—' },
    { key: 'min', label: 'Min', render: (c) => (c.min === null ? '—' : stat(c.min)), value: (c) => c.min ?? '' },
    { key: 'max', label: 'Max', render: (c) => (c.max === null ? '—' : stat(c.max)), value: (c) => c.max ?? '' },
  ];
  return (
    <div className="df-file-report" data-testid="file-report">
      <p role="status">
        <strong>{info.name}</strong>:{' '}
        {info.format === 'csv'
          ? `CSV text, ${info.delimiter ?? 'comma'}-separated`
          : info.format === 'parquet'
            ? 'Parquet'
            : 'Arrow IPC'}
        , {fmtBytes(info.bytes)}, {fmtCount(info.rows)} rows, {info.columns.length} columns
        {info.groups.length
          ? `, ${info.groups.length} ${info.format === 'parquet' ? 'row groups' : 'record batches'}`
          : ''}
        , compression {info.codecs.join(', ').toLowerCase()}.
        {result?.convertMs != null && result.convertedBytes !== null
          ? ` Converted to Parquet (snappy) in ${fmtMs(result.convertMs)}: ${fmtBytes(result.convertedBytes)}, ${(result.convertedBytes / info.bytes).toFixed(2)}× the CSV.`
          : ''}
      </p>
      {info.notes.map((n) => (
        <p key={n} className="muted">
          {n}
        </p>
      ))}
      <ResultsTable
        caption={`Schema of ${info.name}`}
        name="file-schema"
        columns={schemaCols}
        rows={info.columns}
        rowKey={(c) => c.name}
      />
      {result ? (
        <FileReads info={info} result={result} />
      ) : (
        <p className="notice">The file holds no rows: its schema is above, there is nothing to read or filter.</p>
      )}
    </div>
  );
}

function FileReads({ info, result }: { info: FileReport['info']; result: NonNullable<FileReport['result']> }) {
  const rows = result.measurements;
  const keyNulls = result.nulls[result.key] ?? 0;
  return (
    <>
      <p className="muted" data-testid="file-filter">
        Filter <code>{result.key}</code> ≥ {+result.lo.toPrecision(6)} keeps {fmtCount(result.filterRows)} rows
        {keyNulls ? `; its ${fmtCount(keyNulls)} NULL keys never pass (SQL's WHERE)` : ''}. NULLs in the tensor:{' '}
        {NULL_FILL_LABEL[result.fill]}.
      </p>
      <ChartFrame title={`${info.name}: rows per second by access pattern (measured in this tab)`} name="file-rates">
        <RateBars
          rows={rows}
          patternTitle={(p, m) =>
            p === 'full'
              ? `full read: all ${m.columnsRead} numeric columns`
              : p === 'projection'
                ? `projection: ${result.projected.join(', ')}`
                : `filter ${result.key} ≥ ${+result.lo.toPrecision(4)}, then ${result.projected.length} column(s)`
          }
        />
      </ChartFrame>
      <ResultsTable<Measurement>
        caption={`Reads of ${info.name}${info.sample ? ` (its first ${info.sample.groups} row groups)` : ''}`}
        name="file-measurements"
        columns={measurementColumns(info.columns.filter((c) => c.numeric).length)}
        rows={rows}
        rowKey={(m) => `${m.variant}:${m.pattern}`}
      />
    </>
  );
}
