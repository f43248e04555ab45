/**
 * onnxruntime-web's WebGPU execution provider as a peer: one-node models (MatMul, attention)
 * encoded by hand (onnx.ts), run on GPU-resident inputs with outputs kept on the GPU, so the
 * timing covers the library's kernels (GPU timestamps around its passes where the device has
 * them, else wall clock with its per-run overhead), not uploads or downloads.
 * The library is imported on first use only, so it never lands in the app's main chunk.
 */
import type * as OrtWeb from 'onnxruntime-web/webgpu';
// The wasm binary the WebGPU bundle loads. A `?url` import makes Vite copy it into the build and
// hand us its same-origin URL, in dev and in `vite build` alike; no CDN is contacted.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { attentionModel, matmulModel } from './onnx';
import { ortSubgroupGate, type SubgroupGate } from './ortGate';
import type { PeerResult, PeerTimingOptions, PreparedPeerOp } from './types';
import { PassTimestamps } from './passTimestamps';
import { checkDims, checkLength, readAndTime, samplePeer } from './timing';

type Ort = typeof OrtWeb;

export interface OrtPeer {
  readonly name: 'ort';
  /** onnxruntime-web version string, for result tables. */
  readonly version: string;
  readonly ort: Ort;
  /**
   * The device onnxruntime-web created. It ignores a device we assign (1.30), so inputs are
   * created on this one; labs that want to share buffers with ORT run their kernels on it too.
   */
  readonly device: GPUDevice;
  /** Held open for the peer's lifetime so that ORT keeps `device` (see doLoad). */
  readonly keepAlive: OrtWeb.InferenceSession;
  /** Why ORT's device has no subgroups (its attention would be wrong with them here), or null. */
  readonly subgroupsOff: SubgroupGate | null;
}

export interface OrtLoadOptions {
  /**
   * 'gated' (default): ORT gets subgroups only where its attention is right with them (ortGate.ts).
   * 'kept': always, for test/peers/ort-subgroups.test.ts, which reproduces why the gate exists.
   * ORT has one device per process, so the first load decides.
   */
  subgroups?: 'gated' | 'kept';
}

let loading: Promise<OrtPeer> | undefined;
let loadedWith: OrtLoadOptions['subgroups'];

/** Loads onnxruntime-web (WebGPU build) and starts its device with a one-element session. */
export function loadOrt(options: OrtLoadOptions = {}): Promise<OrtPeer> {
  const subgroups = options.subgroups ?? 'gated';
  if (loading && loadedWith !== subgroups)
    return Promise.reject(new Error(`ORT peer: already loaded with subgroups ${loadedWith}, not ${subgroups}`));
  loadedWith = subgroups;
  loading ??= doLoad(subgroups).catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof window === 'undefined' && !!p?.versions?.node;
}

const PATCHED = Symbol.for('gpu-playground.ort-writeBuffer-patched');

/**
 * Dawn for Node rejects `queue.writeBuffer` views on a SharedArrayBuffer ("Invalid argument"),
 * and ORT's wasm heap is one. Copy such views into a plain ArrayBuffer first. Browsers accept
 * them, so this is applied in Node only.
 */
function patchNodeWriteBuffer(): void {
  const Queue = (globalThis as { GPUQueue?: { prototype: GPUQueue } }).GPUQueue;
  if (!Queue) throw new Error('ORT peer: GPUQueue is not defined (in Node, call installDawn() before loading peers)');
  const proto = Queue.prototype as GPUQueue & { [PATCHED]?: true };
  if (proto[PATCHED]) return;
  const original = proto.writeBuffer;
  proto.writeBuffer = function (
    this: GPUQueue,
    buffer: GPUBuffer,
    bufferOffset: GPUSize64,
    data: BufferSource | SharedArrayBuffer,
    dataOffset?: GPUSize64,
    size?: GPUSize64,
  ): undefined {
    const shared = typeof SharedArrayBuffer !== 'undefined';
    if (shared && ArrayBuffer.isView(data) && data.buffer instanceof SharedArrayBuffer) {
      // dataOffset and size count elements of a typed array, bytes of a DataView.
      const unit =
        'BYTES_PER_ELEMENT' in data ? (data as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT : 1;
      const start = data.byteOffset + (dataOffset ?? 0) * unit;
      const length = size !== undefined ? size * unit : data.byteLength - (dataOffset ?? 0) * unit;
      const copy = new Uint8Array(length);
      copy.set(new Uint8Array(data.buffer, start, length));
      return original.call(this, buffer, bufferOffset, copy);
    }
    if (shared && data instanceof SharedArrayBuffer) {
      const start = dataOffset ?? 0;
      const length = size ?? data.byteLength - start;
      const copy = new Uint8Array(length);
      copy.set(new Uint8Array(data, start, length));
      return original.call(this, buffer, bufferOffset, copy);
    }
    return original.call(this, buffer, bufferOffset, data as BufferSource, dataOffset, size);
  };
  proto[PATCHED] = true;
}

/**
 * In Node, after ORT's 26 MB wasm was instantiated, the next dynamic import() or process.exit()
 * blocked the main thread (on a futex) while V8's optimizing compiler worked through the module
 * in the background: on our loaded two-core machine the bench sat there for over eight minutes.
 * Keeping V8 on its baseline wasm compiler (Liftoff) removed the stall. Only ORT's CPU-side code
 * (graph setup, per-run bookkeeping) runs slower; its WebGPU kernels are unchanged. Browsers
 * compile wasm their own way and are left alone.
 */
function selectBaselineWasmCompilerInNode(): void {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const v8 = p?.getBuiltinModule?.('node:v8') as { setFlagsFromString(flags: string): void } | undefined;
  v8?.setFlagsFromString('--liftoff-only');
}

async function doLoad(subgroups: 'gated' | 'kept'): Promise<OrtPeer> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (!nav?.gpu)
    throw new Error('ORT peer: navigator.gpu is missing (in Node, call installDawn() before loading peers)');
  const node = isNode();
  if (node) {
    patchNodeWriteBuffer();
    selectBaselineWasmCompilerInNode();
  }
  const ort = await import('onnxruntime-web/webgpu');
  // One thread: no worker or SharedArrayBuffer needed (pages are not cross-origin isolated), and
  // the CPU side of both peers stays comparable.
  ort.env.wasm.numThreads = 1;
  // In Node the bundle finds its wasm next to itself in node_modules.
  if (!node) ort.env.wasm.wasmPaths = { wasm: ortWasmUrl };
  // ORT creates its device with the first WebGPU session; only then does env.webgpu.device resolve.
  // The probe stays open: when its last session is released ORT drops its device and the next
  // session gets a new one, which would strand buffers made on the old device.
  const gate: { reason: SubgroupGate | null } = { reason: null };
  const create = () => ort.InferenceSession.create(matmulModel(1, 1, 1), { executionProviders: ['webgpu'] });
  const probe = await (subgroups === 'kept' ? create() : withoutSubgroupsWhereWrong(nav.gpu, gate, create));
  const device = (await ort.env.webgpu.device) as GPUDevice;
  if (!device) throw new Error('ORT peer: onnxruntime-web did not create a WebGPU device');
  const version = ort.env.versions.web ?? 'unknown';
  return { name: 'ort', version, ort, device, keepAlive: probe, subgroupsOff: gate.reason };
}

/**
 * Runs `create` (which makes ORT request its device) with navigator.gpu's adapters patched so
 * that, where ORT's subgroup attention is wrong (ortGate.ts: subgroups under 8 wide, or a WGSL
 * compiler that keeps loop-local variables), the device is requested without the subgroup
 * features and `gate.reason` says why. ORT then takes its portable kernels.
 */
async function withoutSubgroupsWhereWrong<T>(
  gpu: GPU,
  gate: { reason: SubgroupGate | null },
  create: () => Promise<T>,
): Promise<T> {
  const own = Object.prototype.hasOwnProperty.call(gpu, 'requestAdapter');
  const original = gpu.requestAdapter;
  // ORT asks for an adapter more than once while it starts; the probe runs once.
  let decided: Promise<SubgroupGate | null> | undefined;
  gpu.requestAdapter = async function (this: GPU, options?: GPURequestAdapterOptions) {
    const adapter = await original.call(gpu, options);
    if (!adapter) return adapter;
    gate.reason = await (decided ??= ortSubgroupGate(adapter, () => original.call(gpu, options)));
    if (!gate.reason) return adapter;
    const requestDevice = adapter.requestDevice.bind(adapter);
    adapter.requestDevice = (desc?: GPUDeviceDescriptor) =>
      requestDevice({
        ...desc,
        requiredFeatures: [...(desc?.requiredFeatures ?? [])].filter((f) => !String(f).startsWith('subgroup')),
      });
    return adapter;
  };
  try {
    return await create();
  } finally {
    if (own) gpu.requestAdapter = original;
    else delete (gpu as { requestAdapter?: unknown }).requestAdapter;
  }
}

/**
 * One pass timer per ORT device, made on first use and kept for the device's life (like the peer
 * itself): its query set and buffers are not rebuilt for every timing, nor every interleaved round.
 */
const passTimers = new WeakMap<GPUDevice, PassTimestamps | null>();
function passTimestampsFor(device: GPUDevice): PassTimestamps | null {
  if (!passTimers.has(device)) passTimers.set(device, PassTimestamps.create(device));
  return passTimers.get(device)!;
}

interface GpuInput {
  name: string;
  data: Float32Array;
  dims: number[];
}

/**
 * Creates a session for `model` with every input uploaded once into a GPU buffer on ORT's device
 * and the output left on the GPU, and returns it as a prepared op. Exported as prepareOrtModel for
 * peers of other one-node models (ortNBits.ts).
 */
async function prepare(
  peer: OrtPeer,
  label: string,
  model: Uint8Array,
  inputs: GpuInput[],
  output: string,
): Promise<PreparedPeerOp> {
  const { ort, device } = peer;
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['webgpu'],
    preferredOutputLocation: 'gpu-buffer',
  });
  const buffers: GPUBuffer[] = [];
  let disposed = false;
  try {
    const feeds: Record<string, OrtWeb.Tensor> = {};
    for (const inp of inputs) {
      const buf = device.createBuffer({
        label: `ort ${inp.name}`,
        // ORT binds inputs as storage buffers and may copy them; rounded up to 16 bytes for vec4 reads.
        size: Math.ceil(inp.data.byteLength / 16) * 16,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      });
      buffers.push(buf);
      // Typed as ArrayBuffer-backed for WebGPU's typings; a SharedArrayBuffer view works in browsers and is copied in Node.
      device.queue.writeBuffer(buf, 0, inp.data as Float32Array<ArrayBuffer>);
      feeds[inp.name] = ort.Tensor.fromGpuBuffer(buf, { dataType: 'float32', dims: inp.dims });
    }
    await device.queue.onSubmittedWorkDone();
    const runOnce = async (): Promise<OrtWeb.Tensor> => {
      const result = await session.run(feeds);
      const out = result[output];
      for (const [name, t] of Object.entries(result)) if (name !== output) t.dispose();
      return out;
    };
    const check = () => {
      if (disposed) throw new Error(`${label}: already disposed`);
    };
    const op: PreparedPeerOp = {
      label,
      async read() {
        check();
        const out = await runOnce();
        try {
          // getData() downloads from the GPU buffer; copy, since the view may alias ORT memory.
          return Float32Array.from((await out.getData()) as Float32Array);
        } finally {
          out.dispose();
        }
      },
      time(opts: PeerTimingOptions = {}) {
        check();
        const runs = async (repeats: number) => {
          for (let r = 0; r < repeats; r++) (await runOnce()).dispose();
          await device.queue.onSubmittedWorkDone();
        };
        // GPU timestamps around each compute pass ORT encodes (passTimestamps.ts): its API has no
        // per-run timing of its own. Wall clock where the device has no timestamp queries.
        const stamps = opts.forceWallclock ? null : passTimestampsFor(device);
        if (stamps)
          return samplePeer(async (repeats) => (await stamps.measure(() => runs(repeats))).ms, 'timestamp', opts);
        return samplePeer(
          async (repeats) => {
            await device.queue.onSubmittedWorkDone();
            const t0 = performance.now();
            await runs(repeats);
            return performance.now() - t0;
          },
          'wallclock',
          opts,
        );
      },
      dispose() {
        if (disposed) return;
        disposed = true;
        void session.release();
        for (const b of buffers) b.destroy();
      },
    };
    return op;
  } catch (e) {
    disposed = true;
    void session.release();
    for (const b of buffers) b.destroy();
    throw e;
  }
}

/** C = A·B with one ONNX MatMul node; A is M×K, B is K×N, row-major. */
export async function prepareOrtMatmul(
  peer: OrtPeer,
  A: Float32Array,
  B: Float32Array,
  M: number,
  K: number,
  N: number,
): Promise<PreparedPeerOp> {
  checkDims('ORT MatMul', { M, K, N });
  checkLength('ORT MatMul', 'A', A, M * K);
  checkLength('ORT MatMul', 'B', B, K * N);
  return prepare(
    peer,
    'ORT MatMul',
    matmulModel(M, K, N),
    [
      { name: 'A', data: A, dims: [M, K] },
      { name: 'B', data: B, dims: [K, N] },
    ],
    'C',
  );
}

export async function ortMatmul(
  peer: OrtPeer,
  A: Float32Array,
  B: Float32Array,
  M: number,
  K: number,
  N: number,
  opts?: PeerTimingOptions,
): Promise<PeerResult> {
  return readAndTime(await prepareOrtMatmul(peer, A, B, M, K, N), opts);
}

/**
 * O = softmax(Q·Kᵀ/√d)·V per head, Q/K/V/O shaped [BH, N, d] row-major. Non-causal runs
 * com.microsoft MultiHeadAttention, causal runs GroupQueryAttention (see onnx.ts for why); the
 * latter needs d to be a multiple of 8 on ORT's WebGPU EP.
 */
export async function prepareOrtAttention(
  peer: OrtPeer,
  Q: Float32Array,
  K: Float32Array,
  V: Float32Array,
  BH: number,
  N: number,
  d: number,
  causal: boolean,
): Promise<PreparedPeerOp> {
  checkDims('ORT attention', { BH, N, d });
  const n = BH * N * d;
  checkLength('ORT attention', 'Q', Q, n);
  checkLength('ORT attention', 'K', K, n);
  checkLength('ORT attention', 'V', V, n);
  if (causal && d % 8 !== 0)
    throw new RangeError(`ORT causal attention (GroupQueryAttention): d must be a multiple of 8, got ${d}`);
  const dims = [BH, N, d];
  const op = causal ? 'ORT GroupQueryAttention (causal)' : 'ORT MultiHeadAttention';
  return prepare(
    peer,
    peer.subgroupsOff ? `${op}, ${peer.subgroupsOff.short}` : op,
    attentionModel(BH, N, d, causal),
    [
      { name: 'Q', data: Q, dims },
      { name: 'K', data: K, dims },
      { name: 'V', data: V, dims },
    ],
    'O',
  );
}

export async function ortAttention(
  peer: OrtPeer,
  Q: Float32Array,
  K: Float32Array,
  V: Float32Array,
  BH: number,
  N: number,
  d: number,
  causal: boolean,
  opts?: PeerTimingOptions,
): Promise<PeerResult> {
  return readAndTime(await prepareOrtAttention(peer, Q, K, V, BH, N, d, causal), opts);
}

export { prepare as prepareOrtModel };
