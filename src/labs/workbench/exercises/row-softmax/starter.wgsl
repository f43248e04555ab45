// Starter: one invocation per row, three passes over the row in global memory.
struct Params { rows: u32, cols: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wid: vec3u) {
  let base = wid.x * p.cols;
  var m = -3.4e38;
  for (var c = 0u; c < p.cols; c++) {
    m = max(m, x[base + c]);
  }
  var s = 0.0;
  for (var c = 0u; c < p.cols; c++) {
    s += exp(x[base + c] - m);
  }
  for (var c = 0u; c < p.cols; c++) {
    y[base + c] = exp(x[base + c] - m) / s;
  }
}
