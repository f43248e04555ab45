/** The one catalog of models and GPUs every lab reads (ARCHITECTURE.md, src/catalog). Pure data and arithmetic. */
export {
  archOf,
  expertsOf,
  type AttentionKind,
  type HfConfig,
  type MlaShape,
  type ModelArch,
  type MoeShape,
} from './config';
export { attentionParams, countParams, type ParamCount } from './params';
export { kvBytesPerToken, kvValuesPerTokenPerLayer } from './kv';
export { MODELS, findModel, modelAliases, type ModelPreset } from './models';
export { DATACENTER_GPUS, GPUS, PRICE_NOTE, findGpu, gpuAliases, type GpuSpec } from './gpus';
export { describeProblems, parseModelConfig, type ConfigProblem, type ParsedConfig } from './parse';
export { MAX_ENCODED, decodeConfig, encodeConfig } from './share';
export { WEIGHT_FORMATS, isWeightFormat, type WeightFormat, type WeightFormatSpec } from './formats';
