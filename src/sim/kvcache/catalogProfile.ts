import { archOf, type ModelArch } from '../../catalog/config';
import { kvBytesPerToken } from '../../catalog/kv';
import { findModel } from '../../catalog/models';
import { countParams } from '../../catalog/params';
import { WEIGHT_FORMATS, type WeightFormat } from '../../catalog/formats';
import { LLAMA7B_A100, type ModelProfile } from './costModel';

/**
 * A catalog model (src/catalog) on the same A100-80GB peaks as LLAMA7B_A100: its 16-bit weight
 * bytes, the parameters a token computes with (MoE: its routed experts) and its KV bytes per token
 * (MLA: the compressed latent). Only the model changes; the GPU's rates stay those of the default
 * profile, so two models compare on one machine.
 */
export function profileForModel(id: string, format: WeightFormat = 'bf16'): ModelProfile {
  const m = findModel(id);
  if (!m) throw new RangeError(`Unknown model "${id}".`);
  return profileForArch(m.name, archOf(m.config), format);
}

/**
 * Any model's shape (a pasted config.json's, say) on the default profile's GPU, its weights in
 * `format` (a decode step streams them all). The A100 has no FP8 units, so every format computes
 * at its BF16 peak here; the KV cache stays 16-bit.
 */
export function profileForArch(name: string, arch: ModelArch, format: WeightFormat = 'bf16'): ModelProfile {
  const c = countParams(arch);
  const f = WEIGHT_FORMATS[format];
  return {
    ...LLAMA7B_A100,
    name: `${name} (${format === 'bf16' ? '16-bit' : `${f.label} weights`}, ${arch.attention}) on an A100-80GB at datasheet peak rates (modelled)`,
    params: c.active,
    weightBytes: f.bytesPerWeight * c.total,
    kvBytesPerToken: kvBytesPerToken(arch, 2),
  };
}
