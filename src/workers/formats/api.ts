import { checkFileSize, inspectFile, measureFile, type FileInfo, type FileMeasurements } from '../../data/inspect';
import { measureFormats, type FormatsReport, type FormatsSpec } from '../../data/measure';

export interface FileReport {
  info: FileInfo;
  result: FileMeasurements;
}

/** What the worker offers; also called directly where there is no Worker (Node tests). */
export interface FormatsWorkerApi {
  measure(spec: FormatsSpec, progress?: (f: number, text: string) => void): Promise<FormatsReport>;
  /** Reads a local file (a Blob never leaves the machine): size cap first, then inspect and measure. */
  inspect(file: Blob | Uint8Array, name: string, progress?: (f: number, text: string) => void): Promise<FileReport>;
}

export const formatsWorkerApi: FormatsWorkerApi = {
  measure: (spec, progress) => measureFormats(spec, progress),
  async inspect(file, name, progress = () => {}) {
    const size = file instanceof Uint8Array ? file.length : file.size;
    // Checked before a byte is read, so a 5 GB file costs nothing.
    checkFileSize(size, name);
    progress(0.05, `reading ${name}`);
    const bytes = file instanceof Uint8Array ? file : new Uint8Array(await file.arrayBuffer());
    progress(0.2, 'reading the schema');
    const info = inspectFile(bytes, name);
    progress(0.3, 'measuring full, projected and filtered reads');
    const result = await measureFile(bytes, info);
    return { info, result };
  },
};
