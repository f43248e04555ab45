// flechette's IPC framing decoder and table builder, which its index does not re-export: arrow.ts
// checks the decoded batch headers between the two (see checkFraming there).
declare module '@uwdata/flechette/src/decode/decode-ipc.js' {
  export interface IpcBatch {
    length: number;
    nodes: { length: number; nullCount: number }[];
    regions: { offset: number; length: number }[];
    body?: Uint8Array;
  }
  export interface IpcData {
    schema?: unknown;
    records: IpcBatch[];
    dictionaries: ({ id: number; data: IpcBatch; body?: Uint8Array } & Partial<IpcBatch>)[];
  }
  export function decodeIPC(data: Uint8Array): IpcData;
}
declare module '@uwdata/flechette/src/decode/table-from-ipc.js' {
  import type { Table } from '@uwdata/flechette';
  import type { IpcData } from '@uwdata/flechette/src/decode/decode-ipc.js';
  export function createTable(data: IpcData): Table;
}
