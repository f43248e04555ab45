/**
 * TensorFlow.js on its WebGPU backend as a peer: tf.matMul and an unfused elementwise chain.
 * The library is imported on first use only, so it never lands in the app's main chunk.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { PeerTimingOptions, PeerResult, PreparedPeerOp } from './types';
import { checkDims, checkLength, readAndTime, samplePeer, type PeerSampler } from './timing';

export interface TfjsPeer {
  readonly name: 'tfjs';
  /** tfjs-core version string, for result tables. */
  readonly version: string;
  readonly tf: typeof TfCore;
  readonly backend: WebGPUBackend;
  /** The device tfjs created on navigator.gpu (not ours: tfjs requests its own). */
  readonly device: GPUDevice;
}

let loading: Promise<TfjsPeer> | undefined;

/**
 * Loads tfjs-core and the WebGPU backend and makes 'webgpu' the active backend. In Node, Dawn must
 * already be on `navigator.gpu` (installDawn()), because the backend registers itself only when
 * it sees navigator.gpu at import time.
 */
export function loadTfjs(): Promise<TfjsPeer> {
  loading ??= doLoad().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

async function doLoad(): Promise<TfjsPeer> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (!nav?.gpu)
    throw new Error('tfjs peer: navigator.gpu is missing (in Node, call installDawn() before loading peers)');
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-webgpu');
  // Small CPU-resident tensors would otherwise run on tfjs's CPU path, which is not what we compare.
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs peer: the webgpu backend failed to initialise');
  await tf.ready();
  const backend = tf.backend() as unknown as WebGPUBackend;
  if (!backend.device) throw new Error('tfjs peer: active backend has no GPUDevice');
  return { name: 'tfjs', version: tf.version_core, tf, backend, device: backend.device };
}

/** Ends tfjs's open compute pass before submitting: submitting with a pass open broke results. */
function flush(peer: TfjsPeer): void {
  peer.backend.ensureCommandEncoderReady();
  peer.backend.endComputePassEncoder();
  peer.backend.submitQueue();
}

function upload(peer: TfjsPeer, tensors: TfCore.Tensor[]): void {
  for (const t of tensors) peer.backend.uploadToGPU(t.dataId);
  flush(peer);
}

/**
 * Prepares a tfjs op chain over GPU-resident inputs. `chain` must be pure tf ops on `inputs`;
 * its intermediates are freed by tf.tidy and its result after each run.
 */
function prepare(peer: TfjsPeer, label: string, inputs: TfCore.Tensor[], chain: () => TfCore.Tensor): PreparedPeerOp {
  const { tf } = peer;
  upload(peer, inputs);
  let disposed = false;
  const runMany = (repeats: number): void => {
    for (let r = 0; r < repeats; r++) tf.dispose(tf.tidy(chain));
  };
  const timestampSampler: PeerSampler = async (repeats) => {
    const info = await tf.time(() => runMany(repeats));
    if (typeof info.kernelMs !== 'number') throw new Error(`tfjs timing failed: ${info.kernelMs.error}`);
    return info.kernelMs;
  };
  const wallclockSampler: PeerSampler = async (repeats) => {
    flush(peer);
    await peer.device.queue.onSubmittedWorkDone();
    const t0 = performance.now();
    runMany(repeats);
    flush(peer);
    await peer.device.queue.onSubmittedWorkDone();
    return performance.now() - t0;
  };
  const check = () => {
    if (disposed) throw new Error(`${label}: already disposed`);
  };
  return {
    label,
    async read() {
      check();
      const out = tf.tidy(chain);
      try {
        return (await out.data()) as Float32Array;
      } finally {
        out.dispose();
      }
    },
    time(opts: PeerTimingOptions = {}) {
      check();
      const stamps = peer.device.features.has('timestamp-query') && !opts.forceWallclock;
      return samplePeer(stamps ? timestampSampler : wallclockSampler, stamps ? 'timestamp' : 'wallclock', opts);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose(inputs);
    },
  };
}

/** C = A·B with tf.matMul; A is M×K, B is K×N, row-major. */
export function prepareTfjsMatmul(
  peer: TfjsPeer,
  A: Float32Array,
  B: Float32Array,
  M: number,
  K: number,
  N: number,
): PreparedPeerOp {
  checkDims('tfjs matMul', { M, K, N });
  checkLength('tfjs matMul', 'A', A, M * K);
  checkLength('tfjs matMul', 'B', B, K * N);
  const a = peer.tf.tensor2d(A, [M, K]);
  const b = peer.tf.tensor2d(B, [K, N]);
  return prepare(peer, 'tfjs matMul', [a, b], () => peer.tf.matMul(a, b));
}

export async function tfjsMatmul(
  peer: TfjsPeer,
  A: Float32Array,
  B: Float32Array,
  M: number,
  K: number,
  N: number,
  opts?: PeerTimingOptions,
): Promise<PeerResult> {
  return readAndTime(prepareTfjsMatmul(peer, A, B, M, K, N), opts);
}

/** sqrt(2/π), the constant of GELU's tanh approximation. */
const GELU_K = Math.sqrt(2 / Math.PI);

/**
 * out = gelu_tanh(x + bias) + residual over a [rows, hidden] tensor, bias broadcast over rows.
 * Written as separate tf ops, each a kernel reading and writing global memory: the chain a
 * framework runs when it does not fuse.
 */
export function prepareTfjsEpilogue(
  peer: TfjsPeer,
  x: Float32Array,
  bias: Float32Array,
  residual: Float32Array,
  rows: number,
  hidden: number,
): PreparedPeerOp {
  const { tf } = peer;
  checkDims('tfjs epilogue', { rows, hidden });
  checkLength('tfjs epilogue', 'x', x, rows * hidden);
  checkLength('tfjs epilogue', 'bias', bias, hidden);
  checkLength('tfjs epilogue', 'residual', residual, rows * hidden);
  const tx = tf.tensor2d(x, [rows, hidden]);
  const tb = tf.tensor1d(bias);
  const tr = tf.tensor2d(residual, [rows, hidden]);
  // Scalars made once and uploaded with the inputs; `v.mul(0.5)` would upload a new one per run.
  const half = tf.scalar(0.5);
  const one = tf.scalar(1);
  const cubic = tf.scalar(0.044715);
  const k = tf.scalar(GELU_K);
  const chain = () => {
    const v = tf.add(tx, tb);
    // v³ as two multiplies: tf.pow with a negative base takes a sign-fixing path we do not want to time.
    const v3 = tf.mul(tf.mul(v, v), v);
    const inner = tf.mul(k, tf.add(v, tf.mul(cubic, v3)));
    const gelu = tf.mul(tf.mul(half, v), tf.add(one, tf.tanh(inner)));
    return tf.add(gelu, tr);
  };
  return prepare(peer, 'tfjs epilogue', [tx, tb, tr, half, one, cubic, k], chain);
}

export async function tfjsEpilogue(
  peer: TfjsPeer,
  x: Float32Array,
  bias: Float32Array,
  residual: Float32Array,
  rows: number,
  hidden: number,
  opts?: PeerTimingOptions,
): Promise<PeerResult> {
  return readAndTime(prepareTfjsEpilogue(peer, x, bias, residual, rows, hidden), opts);
}
