import { withErrorScopes } from './scopes';

export type Numeric = Float32Array | Uint32Array | Int32Array;

const STORAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** A storage buffer, filled with `data` or zeroed to `bytes`; creation errors (e.g. out of memory) are thrown. */
export async function createStorageBuffer(
  device: GPUDevice,
  data: Numeric | number,
  label: string,
  extraUsage = 0,
): Promise<GPUBuffer> {
  const size = typeof data === 'number' ? data : data.byteLength;
  // WebGPU requires sizes in multiples of 4 and > 0 for mapped creation.
  const padded = Math.max(4, Math.ceil(size / 4) * 4);
  return withErrorScopes(device, `allocating ${label} (${formatBytesShort(padded)})`, () => {
    const buf = device.createBuffer({
      label,
      size: padded,
      usage: STORAGE() | extraUsage,
      mappedAtCreation: typeof data !== 'number',
    });
    if (typeof data !== 'number') {
      new Uint8Array(buf.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      buf.unmap();
    }
    return buf;
  });
}

export function createUniformBuffer(
  device: GPUDevice,
  words: ArrayLike<number>,
  label: string,
  asFloat = false,
): GPUBuffer {
  const bytes = Math.max(16, Math.ceil((words.length * 4) / 16) * 16);
  const buf = device.createBuffer({ label, size: bytes, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const view = asFloat ? new Float32Array(bytes / 4) : new Uint32Array(bytes / 4);
  view.set(Array.from(words));
  device.queue.writeBuffer(buf, 0, view);
  return buf;
}

/** Copies a GPU buffer back to the CPU through a staging buffer. */
export async function readBuffer(device: GPUDevice, src: GPUBuffer, size = src.size, offset = 0): Promise<ArrayBuffer> {
  const staging = device.createBuffer({
    label: `${src.label}-readback`,
    size,
    usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
  });
  try {
    const enc = device.createCommandEncoder({ label: 'readback' });
    enc.copyBufferToBuffer(src, offset, staging, 0, size);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return staging.getMappedRange().slice(0);
  } finally {
    staging.destroy();
  }
}

export async function readFloat32(device: GPUDevice, src: GPUBuffer, count?: number): Promise<Float32Array> {
  return new Float32Array(await readBuffer(device, src, count === undefined ? src.size : count * 4));
}

export async function readUint32(device: GPUDevice, src: GPUBuffer, count?: number): Promise<Uint32Array> {
  return new Uint32Array(await readBuffer(device, src, count === undefined ? src.size : count * 4));
}

/** Destroys every buffer in a list; used in finally blocks so failed runs free their memory. */
export function destroyAll(buffers: (GPUBuffer | undefined)[]): void {
  for (const b of buffers) b?.destroy();
}

function formatBytesShort(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} B`;
}
