import {
  checkFileSize,
  inspectFile,
  MAX_FILE_BYTES,
  measureFile,
  type FileInfo,
  type FileMeasurements,
} from '../../data/inspect';
import { isParquetBlob, sampleParquet } from '../../data/parquetSample';
import type { NullFill } from '../../data/nulls';
import { measureFormats, type FormatsReport, type FormatsSpec } from '../../data/measure';

export interface FileReport {
  info: FileInfo;
  /** Null for a file without rows: its schema is shown, there is nothing to read. */
  result: FileMeasurements | null;
}

/** What the worker offers; also called directly where there is no Worker (Node tests). */
export interface FormatsWorkerApi {
  measure(spec: FormatsSpec, progress?: (f: number, text: string) => void): Promise<FormatsReport>;
  /**
   * Reads a local file (a Blob never leaves the machine): size cap first (`maxBytes`, default
   * MAX_FILE_BYTES), then inspect and measure; a larger Parquet file is sampled instead.
   */
  inspect(
    file: Blob | Uint8Array,
    name: string,
    progress?: (f: number, text: string) => void,
    maxBytes?: number,
    fill?: NullFill,
  ): Promise<FileReport>;
}

export const formatsWorkerApi: FormatsWorkerApi = {
  measure: (spec, progress) => measureFormats(spec, progress),
  async inspect(file, name, progress = () => {}, maxBytes = MAX_FILE_BYTES, fill = 'nan') {
    const size = file instanceof Uint8Array ? file.length : file.size;
    // A Parquet file past the cap is read by its footer and first row groups (parquetSample.ts).
    if (!(file instanceof Uint8Array) && size > maxBytes && (await isParquetBlob(file))) {
      progress(0.05, `reading the footer and first row groups of ${name}`);
      const sample = await sampleParquet(file, name, maxBytes);
      progress(0.2, 'reading the schema');
      const info = inspectFile(sample.bytes, name, sample);
      progress(0.3, 'measuring full, projected and filtered reads of the first row groups');
      return { info, result: await measureFile(sample.bytes, info, sample, { fill }) };
    }
    // Checked before a byte is read, so a 5 GB file costs nothing.
    checkFileSize(size, name, maxBytes);
    progress(0.05, `reading ${name}`);
    const bytes = file instanceof Uint8Array ? file : new Uint8Array(await file.arrayBuffer());
    progress(0.2, 'reading the schema');
    const info = inspectFile(bytes, name);
    progress(0.3, 'measuring full, projected and filtered reads');
    const result = await measureFile(bytes, info, undefined, { fill });
    return { info, result };
  },
};
