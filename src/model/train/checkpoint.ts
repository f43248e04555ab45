import type { OptimizerState } from './backend';
import type { TrainSpec } from './hyper';
import { paramLayout } from '../layout';

/**
 * One training run's state in one binary file: everything needed to continue bit-identically.
 *
 *   bytes 0–7    magic "GPTCKPT1"
 *   8–11         format version (uint32, little-endian)
 *   12–15        header length H in bytes
 *   16 … 16+H    header: UTF-8 JSON (spec, step, sampler state, curves), padded with spaces to 4 bytes
 *   then         params, m, v: 3 × N float32, little-endian
 *   last 4       CRC-32 (IEEE) of every byte before it
 *
 * The checksum is checked before anything is parsed, so a torn or corrupted file is refused with
 * a named error instead of training on garbage.
 */
export const CHECKPOINT_MAGIC = 'GPTCKPT1';
export const CHECKPOINT_VERSION = 1;

export interface CurvePoint {
  step: number;
  loss: number;
}

export interface EvalPoint {
  step: number;
  loss: number;
  accuracy: number;
}

export interface CheckpointHeader {
  spec: TrainSpec;
  /** Optimizer steps done. */
  step: number;
  /** The training stream's generator state and examples drawn. */
  sampler: { rng: number; position: number };
  /** Training loss per step and held-out evaluations so far, so a resumed page draws the same curve. */
  train: CurvePoint[];
  evals: EvalPoint[];
  /** Mixed precision's loss scale and clean-step count (absent in float32 runs). */
  scaler?: { scale: number; clean: number };
}

export interface Checkpoint extends CheckpointHeader {
  state: OptimizerState;
}

export type CheckpointProblem = 'truncated' | 'magic' | 'version' | 'checksum' | 'header' | 'size';

export class CheckpointError extends Error {
  constructor(
    readonly problem: CheckpointProblem,
    message: string,
  ) {
    super(message);
    this.name = 'CheckpointError';
  }
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum zip and PNG use. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function encodeCheckpoint(ck: Checkpoint): Uint8Array<ArrayBuffer> {
  const n = ck.state.params.length;
  if (ck.state.m.length !== n || ck.state.v.length !== n)
    throw new CheckpointError('size', 'Weights and moments differ in length.');
  const header: CheckpointHeader = {
    spec: ck.spec,
    step: ck.step,
    sampler: ck.sampler,
    train: ck.train,
    evals: ck.evals,
    ...(ck.scaler ? { scaler: ck.scaler } : {}),
  };
  let json = JSON.stringify(header);
  while ((16 + new TextEncoder().encode(json).length) % 4) json += ' ';
  const headerBytes = new TextEncoder().encode(json);
  const body = 16 + headerBytes.length;
  const out = new Uint8Array(body + 12 * n + 4);
  const dv = new DataView(out.buffer);
  out.set(new TextEncoder().encode(CHECKPOINT_MAGIC), 0);
  dv.setUint32(8, CHECKPOINT_VERSION, true);
  dv.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, 16);
  let o = body;
  for (const arr of [ck.state.params, ck.state.m, ck.state.v]) {
    for (let i = 0; i < n; i++, o += 4) dv.setFloat32(o, arr[i], true);
  }
  dv.setUint32(o, crc32(out.subarray(0, o)), true);
  return out;
}

export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  if (bytes.length < 20)
    throw new CheckpointError('truncated', `A checkpoint is at least 20 bytes; this file has ${bytes.length}.`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic !== CHECKPOINT_MAGIC)
    throw new CheckpointError('magic', 'Not a GPU Playground checkpoint (the first 8 bytes are not "GPTCKPT1").');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== CHECKPOINT_VERSION)
    throw new CheckpointError(
      'version',
      `Checkpoint format version ${version}; this build reads version ${CHECKPOINT_VERSION}.`,
    );
  const end = bytes.length - 4;
  const stored = dv.getUint32(end, true);
  const actual = crc32(bytes.subarray(0, end));
  if (stored !== actual)
    throw new CheckpointError(
      'checksum',
      `Checkpoint checksum mismatch (stored ${stored.toString(16)}, computed ${actual.toString(16)}): the file is corrupt or incomplete.`,
    );
  const h = dv.getUint32(12, true);
  if (16 + h > end) throw new CheckpointError('truncated', 'The header runs past the end of the file.');
  let header: CheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + h))) as CheckpointHeader;
  } catch (e) {
    throw new CheckpointError('header', `The checkpoint header is not valid JSON: ${(e as Error).message}`);
  }
  if (!header?.spec?.model) throw new CheckpointError('header', 'The checkpoint header has no model configuration.');
  const n = paramLayout(header.spec.model).total;
  if (end - (16 + h) !== 12 * n)
    throw new CheckpointError(
      'size',
      `The model holds ${n} parameters, so the file should carry ${12 * n} bytes of weights and moments; it carries ${end - 16 - h}.`,
    );
  const arrays = [0, 1, 2].map((k) => {
    const a = new Float32Array(n);
    const base = 16 + h + 4 * n * k;
    for (let i = 0; i < n; i++) a[i] = dv.getFloat32(base + 4 * i, true);
    return a;
  });
  return { ...header, state: { params: arrays[0], m: arrays[1], v: arrays[2] } };
}
