export * from './types';
export * from './model';
export * from './validate';
export * from './formulas';
export * from './simulate';
export * from './sweep';
export * from './diagnose';
export * from './chromeTrace';
