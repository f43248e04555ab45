/** Where in a file a problem lies: as much of it as the reader knows. */
export interface DataPlace {
  file?: string;
  column?: string;
  rowGroup?: number;
  /** Page index within the column chunk (0 = its first page, the dictionary page when it has one). */
  page?: number;
  /** Pages in that column chunk, when known. */
  pages?: number;
}

/** A file the readers cannot use, with a message that names the problem (shown to the user as is). */
export class DataFormatError extends Error {
  readonly place: DataPlace;
  constructor(message: string, place: DataPlace = {}) {
    super(message);
    this.name = 'DataFormatError';
    this.place = place;
  }
}

/** "column "k", row group 0, page 2 of 3": the place in words, for messages. */
export function placeText(p: DataPlace): string {
  const parts: string[] = [];
  if (p.column !== undefined) parts.push(`column "${p.column}"`);
  if (p.rowGroup !== undefined) parts.push(`row group ${p.rowGroup}`);
  if (p.page !== undefined) parts.push(`page ${p.page + 1}${p.pages ? ` of ${p.pages}` : ''}`);
  return parts.join(', ');
}

/** The same error with the file's name in front, once (messages from deep readers do not know it). */
export function withFile(e: unknown, file: string): unknown {
  if (!(e instanceof DataFormatError)) return e;
  if (e.place.file !== undefined || e.message.includes(`"${file}"`)) return e;
  const out = new DataFormatError(`"${file}": ${e.message}`, { ...e.place, file });
  out.stack = e.stack;
  return out;
}
