export * from './cost';
export {
  ACTIVATION_TOLERANCE,
  activationReference,
  chunkReference,
  epilogueRef,
  fillInput,
  geluRef,
  inputArray,
} from './reference';
export {
  activationFootprint,
  checkShape,
  createActivationInputs,
  maxActivationElements,
  prepareActivation,
  type ActivationInputs,
  type ActivationShape,
  type PassSteps,
  type PreparedActivation,
  type PrepareOptions,
} from './host';
