/**
 * Peer libraries (TensorFlow.js, onnxruntime-web) run on the same adapter as our kernels, for
 * ratios in the bench and the lab pages. Each loader imports its library on first call only, so
 * lab code may import this module statically; the libraries still stay out of the main chunk.
 * In Node, call installDawn() (src/gpu/node.ts) before a loader.
 *
 * - `loadTfjs()` / `loadOrt()`: memoised; each peer owns its own GPUDevice (`peer.device`).
 * - `tfjsMatmul`, `tfjsEpilogue`, `ortMatmul`, `ortAttention`: upload inputs, read the output once
 *   (check it against your reference before trusting the time), time, free. They reject bad sizes
 *   or lengths with a RangeError a lab can show.
 * - `prepare*`: the same ops as a `PreparedPeerOp` (`read`, `time`, `dispose`), for benches that
 *   interleave implementations in rounds.
 * - Timing: tfjs uses GPU timestamps (tf.time's per-kernel sum) where the device has
 *   timestamp-query, else the wall clock; ORT is always wall clock (submit to
 *   onSubmittedWorkDone, its per-run CPU overhead included). `timing.timing` says which; time our
 *   kernel the same way (timeSteps' forceWallclock) where a like-for-like ratio matters.
 * - ORT attention: non-causal is MultiHeadAttention, causal is GroupQueryAttention (d must be a
 *   multiple of 8); Q/K/V/O are [BH, N, d] with scale 1/√d.
 */
export type { PeerResult, PeerTiming, PeerTimingOptions, PreparedPeerOp } from './types';
export { samplePeer, readAndTime } from './timing';
export { loadTfjs, tfjsMatmul, tfjsEpilogue, prepareTfjsMatmul, prepareTfjsEpilogue, type TfjsPeer } from './tfjs';
export { loadOrt, ortMatmul, ortAttention, prepareOrtMatmul, prepareOrtAttention, type OrtPeer } from './ort';
export { matmulModel, attentionModel, encodeModel, OnnxType, type OnnxGraph, type OnnxNode } from './onnx';
