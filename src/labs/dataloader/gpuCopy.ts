import type { CopyFn } from '../../workers/live';

/**
 * The host-to-device copy done for real where WebGPU exists: queue.writeBuffer into one reused
 * storage buffer. The browser stages the data itself, so pinned and pageable take the same path here.
 */
export function gpuCopy(device: GPUDevice): CopyFn {
  let buf: GPUBuffer | null = null;
  return (data) => {
    if (!buf || buf.size < data.byteLength) {
      buf?.destroy();
      buf = device.createBuffer({
        size: Math.max(256, Math.ceil(data.byteLength / 256) * 256),
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
        label: 'dataloader batch',
      });
    }
    device.queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, data.byteLength);
  };
}
