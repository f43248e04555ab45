export { copyCost, fmaCost } from './cost';
export { prepareCopy, prepareFma } from './host';
export { copyReference, fmaReference } from './reference';
export { measureCeilings, QUICK_CEILINGS, type Ceilings, type CeilingParams } from './ceilings';
