/** A file the readers cannot use, with a message that names the problem (shown to the user as is). */
export class DataFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataFormatError';
  }
}
