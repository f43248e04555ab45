import type { KernelCost } from '../types';

/**
 * Cost model of the linear-layer epilogue out = gelu(x + bias) + residual over an activation tensor
 * of N = rows * H float32 elements (row-major, last row may be partial), bias of H elements.
 *
 * Bytes are compulsory global-memory traffic: every element of x, residual and each intermediate
 * is touched once per pass that uses it; the bias is counted once per pass (4 * min(H, N) bytes),
 * since its H floats stay in cache while the rows stream past. The instrumented kernels count
 * exactly these bytes (see shaders/activation/*.wgsl), and tests hold them to this model.
 */
export type ActivationVariant = 'unfused' | 'fused' | 'fused_vec4';
export type UnfusedPass = 'bias' | 'gelu' | 'residual';

export const ACTIVATION_VARIANTS: readonly ActivationVariant[] = ['unfused', 'fused', 'fused_vec4'];
export const UNFUSED_PASSES: readonly UnfusedPass[] = ['bias', 'gelu', 'residual'];

export const VARIANT_LABELS: Record<ActivationVariant, string> = {
  unfused: 'unfused (3 passes)',
  fused: 'fused',
  fused_vec4: 'fused + vec4',
};

/** FLOPs per element: 1 add; GELU's 9 (tanh counted as one, see gelu.wgsl); 1 add. */
export const FLOPS_PER_ELEMENT: Record<UnfusedPass, number> = { bias: 1, gelu: 9, residual: 1 };

const F32 = 4;

function biasBytes(n: number, h: number): number {
  return F32 * Math.min(h, n);
}

export function passCost(pass: UnfusedPass, n: number, h: number): KernelCost {
  const flops = FLOPS_PER_ELEMENT[pass] * n;
  switch (pass) {
    case 'bias': // read x (+ bias), write t
      return { flops, bytesRead: F32 * n + biasBytes(n, h), bytesWritten: F32 * n };
    case 'gelu': // read t, write t
      return { flops, bytesRead: F32 * n, bytesWritten: F32 * n };
    case 'residual': // read t and residual, write out
      return { flops, bytesRead: 2 * F32 * n, bytesWritten: F32 * n };
  }
}

export function sumCosts(costs: KernelCost[]): KernelCost {
  return costs.reduce(
    (a, c) => ({
      flops: a.flops + c.flops,
      bytesRead: a.bytesRead + c.bytesRead,
      bytesWritten: a.bytesWritten + c.bytesWritten,
    }),
    {
      flops: 0,
      bytesRead: 0,
      bytesWritten: 0,
    },
  );
}

/** Whole-chain cost of a variant. Both fused kernels move the same bytes; vec4 changes only how. */
export function activationCost(variant: ActivationVariant, n: number, h: number): KernelCost {
  if (variant === 'unfused') return sumCosts(UNFUSED_PASSES.map((p) => passCost(p, n, h)));
  const flops = (FLOPS_PER_ELEMENT.bias + FLOPS_PER_ELEMENT.gelu + FLOPS_PER_ELEMENT.residual) * n;
  // read x, residual (+ bias), write out
  return { flops, bytesRead: 2 * F32 * n + biasBytes(n, h), bytesWritten: F32 * n };
}

/** Unfused bytes over fused bytes: (28N + 4H) / (12N + 4H), which tends to 7/3 for N >> H. */
export function trafficRatio(n: number, h: number): number {
  const u = activationCost('unfused', n, h);
  const f = activationCost('fused', n, h);
  return (u.bytesRead + u.bytesWritten) / (f.bytesRead + f.bytesWritten);
}
