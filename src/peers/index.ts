/**
 * Peer libraries (TensorFlow.js, onnxruntime-web) run on the same adapter as our kernels, for
 * ratios in the bench and the lab pages. Load this module with a dynamic import from lab code:
 * each loader imports its library on first call only.
 */
export type { PeerResult, PeerTiming, PeerTimingOptions, PreparedPeerOp } from './types';
export { samplePeer, readAndTime } from './timing';
export { loadTfjs, tfjsMatmul, tfjsEpilogue, prepareTfjsMatmul, prepareTfjsEpilogue, type TfjsPeer } from './tfjs';
export { loadOrt, ortMatmul, ortAttention, prepareOrtMatmul, prepareOrtAttention, type OrtPeer } from './ort';
export { matmulModel, attentionModel, encodeModel, OnnxType, type OnnxGraph, type OnnxNode } from './onnx';
