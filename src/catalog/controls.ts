import { GPUS, gpuAliases, type GpuSpec } from './gpus';
import { MODELS, modelAliases, type ModelPreset } from './models';
import { MAX_ENCODED } from './share';
import type { WeightFormat } from './formats';

/*
 * The catalog's controls as plain parameter specs, for the labs that choose a model or a GPU
 * (cluster, serving, KV cache, decode, planner): the same values, names and old-link aliases
 * everywhere, so a model id means the same in every lab's URL. Plain objects, no lab kit import:
 * the catalog stays pure and a meta spreads them into its schema.
 */

/** The user's config.json, compressed into the URL (share.ts); the view's config box sets it. */
export function configParam<G extends string>(group: G, help = 'Used when the model is "Your config.json".') {
  return {
    key: 'config' as const,
    group,
    kind: 'text' as const,
    label: 'Your config.json (compressed)',
    default: '',
    maxLength: MAX_ENCODED,
    // base64url: what encodeConfig writes.
    pattern: '[A-Za-z0-9_-]*',
    placement: 'view' as const,
    help,
  };
}

interface ChoiceOptions<K extends string, G extends string> {
  key: K;
  group: G;
  default: string;
  help: string;
  label?: string;
  placement?: 'view';
}

/** A catalog model or 'own' (the pasted config.json); `models` narrows or decorates the list. */
export function modelChoice<
  const K extends string,
  const G extends string,
  M extends { id: string; name: string } = ModelPreset,
>(o: ChoiceOptions<K, G> & { models?: readonly M[]; name?: (m: M) => string; ownLabel?: string }) {
  const models = o.models ?? (MODELS as unknown as readonly M[]);
  const name = o.name ?? ((m: M) => m.name);
  return {
    key: o.key,
    group: o.group,
    kind: 'enum' as const,
    label: o.label ?? 'Model',
    default: o.default,
    values: [...models.map((m) => m.id), 'own'],
    labels: {
      ...Object.fromEntries(models.map((m) => [m.id, name(m)])),
      own: o.ownLabel ?? 'Your config.json (in the picture)',
    },
    aliases: modelAliases(),
    help: o.help,
    ...(o.placement ? { placement: o.placement } : {}),
  };
}

/** A catalog GPU (datasheet memory, bandwidth, FLOP/s, links, price). */
export function gpuChoice<const K extends string, const G extends string>(
  o: ChoiceOptions<K, G> & { gpus?: readonly Pick<GpuSpec, 'id' | 'name'>[] },
) {
  const gpus = o.gpus ?? GPUS;
  const ids = new Set(gpus.map((g) => g.id));
  return {
    key: o.key,
    group: o.group,
    kind: 'enum' as const,
    label: o.label ?? 'GPU',
    default: o.default,
    values: gpus.map((g) => g.id),
    labels: Object.fromEntries(gpus.map((g) => [g.id, g.name])),
    // Old links' ids, where the GPU they stand for is offered here.
    aliases: Object.fromEntries(Object.entries(gpuAliases()).filter(([, id]) => ids.has(id))),
    help: o.help,
    ...(o.placement ? { placement: o.placement } : {}),
  };
}

/** The weight format (formats.ts): bytes per weight, and FP8's matmul peak where the GPU has one. */
export function weightFormatChoice<const G extends string>(group: G, help: string) {
  return {
    key: 'weights' as const,
    group,
    kind: 'enum' as const,
    label: 'Weight format',
    default: 'bf16',
    values: ['bf16', 'fp8', 'int4'] satisfies WeightFormat[],
    labels: { bf16: 'BF16 (2 bytes)', fp8: 'FP8 W8A8 (1 byte)', int4: 'int4 W4A16 g128 (0.52 bytes)' },
    help,
  };
}
