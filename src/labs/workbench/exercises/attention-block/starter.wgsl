// Starter: one query per invocation, two passes over K and V in global memory per query.
struct Params { Lq: u32, Lk: u32 }

@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> k: array<f32>;
@group(0) @binding(2) var<storage, read> v: array<f32>;
@group(0) @binding(3) var<storage, read_write> o: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

const D = 16u;

fn score(qi: ptr<function, array<f32, D>>, j: u32) -> f32 {
  var s = 0.0;
  for (var c = 0u; c < D; c++) {
    s += (*qi)[c] * k[j * D + c];
  }
  return s / sqrt(f32(D));
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= p.Lq) {
    return;
  }
  var qi: array<f32, D>;
  for (var c = 0u; c < D; c++) {
    qi[c] = q[i * D + c];
  }
  // Pass 1: the row maximum.
  var m = -3.4e38;
  for (var j = 0u; j < p.Lk; j++) {
    m = max(m, score(&qi, j));
  }
  // Pass 2: the softmax weights and the weighted sum of V.
  var l = 0.0;
  var acc: array<f32, D>;
  for (var j = 0u; j < p.Lk; j++) {
    let w = exp(score(&qi, j) - m);
    l += w;
    for (var c = 0u; c < D; c++) {
      acc[c] += w * v[j * D + c];
    }
  }
  for (var c = 0u; c < D; c++) {
    o[i * D + c] = acc[c] / l;
  }
}
