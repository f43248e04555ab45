import { useRef, useState, type DragEvent } from 'react';
import type { Measurement } from '../../data/measure';
import { MAX_FILE_BYTES } from '../../data/inspect';
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
export function FilePanel({ job, actions }: { job: LabResult<FileReport> | undefined; actions: Pick<LabActions<ParamSchema, DataFormatsJobs>, 'runJob'> }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
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
          ),
        ),
      { key: `${file.name}:${file.size}:${file.lastModified}` },
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
            accept=".csv,.tsv,.txt,.parquet,.pq,.arrow,.feather,.ipc"
            hidden
            data-testid="file-input"
            onChange={(e) => {
              start(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </p>
        <p className="muted">
          Read inside this tab by a worker, never uploaded: CSV and Arrow up to {fmtBytes(MAX_FILE_BYTES)}; Parquet of any size, by its footer and as many
          whole row groups as fit in {fmtBytes(MAX_FILE_BYTES)}.
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

function FileReportView({ report }: { report: FileReport }) {
  const { info, result } = report;
  const schemaCols: Column<(typeof info.columns)[number]>[] = [
    { key: 'name', label: 'Column', render: (c) => <code>{c.name}</code>, value: (c) => c.name },
    { key: 'type', label: 'Type', render: (c) => c.type },
    { key: 'enc', label: 'Encodings', render: (c) => c.encodings ?? '—' },
    { key: 'codec', label: 'Compression', render: (c) => c.compression ?? '—' },
    { key: 'min', label: 'Min', render: (c) => (c.min === null ? '—' : String(+c.min.toPrecision(6))), value: (c) => c.min ?? '' },
    { key: 'max', label: 'Max', render: (c) => (c.max === null ? '—' : String(+c.max.toPrecision(6))), value: (c) => c.max ?? '' },
    { key: 'use', label: 'In the tensor', render: (c) => (c.numeric ? 'yes' : (c.note ?? 'no')) },
  ];
  const rows = result.measurements;
  return (
    <div className="df-file-report" data-testid="file-report">
      <p role="status">
        <strong>{info.name}</strong>: {info.format === 'csv' ? 'CSV text' : info.format === 'parquet' ? 'Parquet' : 'Arrow IPC'}, {fmtBytes(info.bytes)},{' '}
        {fmtCount(info.rows)} rows, {info.columns.length} columns
        {info.groups.length ? `, ${info.groups.length} ${info.format === 'parquet' ? 'row groups' : 'record batches'}` : ''}, compression{' '}
        {info.codecs.join(', ')}.
        {result.convertMs !== null && result.convertedBytes !== null
          ? ` Converted to Parquet (snappy) in ${fmtMs(result.convertMs)}: ${fmtBytes(result.convertedBytes)}, ${(result.convertedBytes / info.bytes).toFixed(2)}× the CSV.`
          : ''}
      </p>
      {info.notes.map((n) => (
        <p key={n} className="muted">
          {n}
        </p>
      ))}
      <ResultsTable caption={`Schema of ${info.name}`} name="file-schema" columns={schemaCols} rows={info.columns} rowKey={(c) => c.name} />
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
    </div>
  );
}
