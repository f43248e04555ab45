export { copyCost, fmaCost } from './cost';
export { prepareCopy, prepareFma } from './host';
export { COPY_TOLERANCE, copyPattern, copyReference, FMA_FILL, FMA_TOLERANCE, fmaReference } from './reference';
export { measureCeilings, QUICK_CEILINGS, type Ceilings, type CeilingParams } from './ceilings';
