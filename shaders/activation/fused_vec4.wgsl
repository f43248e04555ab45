// Fused and vectorized: each invocation handles four consecutive elements with vec4<f32> loads and
// stores of x, residual and out. Same bytes as the scalar fused kernel, but a quarter of the
// memory instructions and invocations, so a GPU issues wide 16-byte transactions and spends fewer
// cycles on indexing: what lets a memory-bound kernel approach the copy kernel's bandwidth.
// Buffers are padded to whole vec4s; when N is not a multiple of 4 the last invocation reads and
// writes only the valid lanes, one component at a time. Bias is gathered per lane, because a row
// of H elements need not start on a vec4 boundary. gelu4() comes from gelu.wgsl.
override WORKGROUP_SIZE: u32 = 256;

struct Params {
  n: u32,
  h: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read> residual: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> out: array<vec4<f32>>;

// Bias lane index of element e: one modulo per vec4, then a wrap instead of three more (needs H >= 4).
fn bias4(first: u32) -> vec4<f32> {
  let h = P.h;
  let b0 = first % h;
  var idx = vec4<u32>(b0, b0 + 1u, b0 + 2u, b0 + 3u);
  idx = select(idx, idx - vec4<u32>(h), idx >= vec4<u32>(h));
  return vec4<f32>(bias[idx.x], bias[idx.y], bias[idx.z], bias[idx.w]);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let j = gid.x + gid.y * nwg.x * WORKGROUP_SIZE;
  let first = 4u * j;
  if (first >= P.n) {
    return;
  }
  var lanes = 4u;
  if (first + 4u <= P.n) {
    out[j] = gelu4(x[j] + bias4(first)) + residual[j];
  } else {
    // Ragged tail: fewer than 4 valid elements; padding lanes are neither read nor written.
    lanes = P.n - first;
    for (var k = 0u; k < lanes; k++) {
      out[j][k] = gelu(x[j][k] + bias[(first + k) % P.h]) + residual[j][k];
    }
  }
  // Elements of row 0 also count their bias load (see unfused_bias.wgsl).
  let biasLanes = select(0u, min(lanes, P.h - first), first < P.h);
  count_read(8u * lanes + 4u * biasLanes);
  count_write(4u * lanes);
  flush_counts();
}
