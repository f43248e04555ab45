// GELU, tanh approximation (Hendrycks & Gimpel 2016, eq. in section 2; the form GPT-2 and BERT use):
//   gelu(v) = 0.5 * v * (1 + tanh(sqrt(2/pi) * (v + 0.044715 * v^3)))
// Shared by the unfused GELU pass and both fused kernels; the host prepends this file to them.
// The cost model counts 9 FLOPs: v*v, *v, *0.044715, +v, *sqrt(2/pi), tanh (as one), 1+, v*, 0.5*.
const GELU_K: f32 = 0.7978845608028654;
const GELU_C: f32 = 0.044715;

fn gelu(v: f32) -> f32 {
  // tanh(|u| >= 10) is +-1 in f32; clamping keeps backends whose tanh is built from exp() from
  // overflowing to inf/inf = NaN on large inputs.
  let u = clamp(GELU_K * (v + GELU_C * (v * v * v)), -10.0, 10.0);
  return 0.5 * v * (1.0 + tanh(u));
}

fn gelu4(v: vec4<f32>) -> vec4<f32> {
  let u = clamp(GELU_K * (v + GELU_C * (v * v * v)), vec4<f32>(-10.0), vec4<f32>(10.0));
  return 0.5 * v * (1.0 + tanh(u));
}
