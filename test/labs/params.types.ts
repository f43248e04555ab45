/**
 * Type-level test of typed parameters, checked by `npm run typecheck` (tsc over test/; vitest does
 * not run this file, it has no .test.ts suffix). Each `@ts-expect-error` line must fail to compile:
 * if the schema-derived types ever loosen (a key the schema lacks becomes readable, an enum becomes
 * a plain string), the directive itself turns into a compile error.
 */
import { defineModule, type LabRunContext, type ParamsOf } from '../../src/labkit/contract';
import { meta as attention } from '../../src/labs/attention/meta';
import { meta as kvCache } from '../../src/labs/kv-cache/meta';
import { runKvCacheLab } from '../../src/labs/kv-cache/run';
import { meta as tiling } from '../../src/labs/tiling/meta';
import { defaults } from '../../src/labkit/schema';
import { validateParams } from '../../src/labkit/validate';

type KvParams = ParamsOf<typeof kvCache.schema>;

// int/number → number, enum → the union of its values, bool → boolean.
export const blockSize = (p: KvParams): number => p.blockSize;
export const workload = (p: KvParams): 'chat' | 'uniform' | 'summarize' | 'trace' => p.workload;
export const causal = (p: ParamsOf<typeof attention.schema>): boolean => p.causal;

// Reading a key the schema lacks is a type error.
export const missing = (p: KvParams) =>
  // @ts-expect-error the kv-cache schema has no parameter `tileM`
  p.tileM;

// A lab's run that reads a parameter its schema lacks does not type-check against its meta.
export const badModule = defineModule(kvCache, {
  run: async (_ctx: LabRunContext, p) =>
    // @ts-expect-error `headDim` is not in the kv-cache schema
    p.headDim,
  View: () => null,
});

// An enum is its union, not any string and not a number.
export const headDim = (p: ParamsOf<typeof attention.schema>) => {
  // @ts-expect-error d is '32' | '64' | '128'
  const d: number = p.d;
  return d;
};
export const variant = (_p: ParamsOf<typeof tiling.schema>) => {
  // @ts-expect-error 'naive' is not one of the tiling lab's kernel choices
  const v: typeof _p.variant = 'naive';
  return v;
};

// The validator and defaults() return the typed object; runs accept it without conversion.
export const validated = validateParams(kvCache.schema, { blockSize: '32' }).values;
export const fromDefaults: KvParams = defaults(kvCache.schema);
export const run = (ctx: LabRunContext) => runKvCacheLab(ctx, validated);
export const wrongKey = () =>
  // @ts-expect-error the validated values have no `tileM` either
  validated.tileM;
// A run does not accept another lab's parameters.
export const wrongLab = (ctx: LabRunContext) =>
  // @ts-expect-error tiling's parameters are not the kv-cache lab's
  runKvCacheLab(ctx, defaults(tiling.schema));
