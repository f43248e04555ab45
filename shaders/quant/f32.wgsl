// Weight-only GEMV/GEMM, baseline: y = x·Wᵀ with W stored as f32 (4 bytes per weight).
// W is N×K row-major (the nn.Linear layout: one row per output channel), x is M×K, y is M×N.
// This is the honest baseline the quantized variants are measured against, and they all share
// its structure, so a ratio between them shows the bytes per weight, not a different loop:
//  - one workgroup owns ROWS output channels × M_TILE activation rows;
//  - its WG invocations stride along K one 16-byte "unit" of each weight row at a time, so
//    neighbouring invocations read neighbouring vec4s (coalesced, 128-bit loads);
//  - each unit is consumed in sub-steps of four weights: dequantize four weights per row into a
//    vec4<f32> in registers (here: nothing to do), then one vec4 of x per activation row and a
//    dot product per (row, channel) pair, so every weight is dequantized once per workgroup;
//  - partial sums over K are reduced across the workgroup in workgroup memory (a tree).
// Here a unit is 4 weights (one vec4<f32>, one sub-step). K must be a multiple of 4.
// Every global load and store is reported to the shared counters (shaders/common/counters.wgsl).
override WG: u32 = 64;

// Register and workgroup array sizes must be fixed when the module is created: the host
// rewrites these lines (ROWS, M_TILE, ROWS·M_TILE, WG·ROWS·M_TILE).
const ROWS: u32 = 4u;
const M_TILE: u32 = 4u;
const ACC: u32 = 16u;
const PARTIALS: u32 = 1024u;

struct Dims {
  M: u32,
  N: u32,
  K: u32,
  // 16-byte units per weight row.
  units: u32,
}

@group(0) @binding(0) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;
@group(0) @binding(3) var<uniform> dims: Dims;

var<workgroup> partial: array<f32, PARTIALS>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) tid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let m0 = wid.x * M_TILE;
  let n0 = wid.y * ROWS;
  let rows = min(ROWS, dims.N - n0);
  let ms = min(M_TILE, dims.M - m0);
  let K4 = dims.K / 4u;
  var acc: array<f32, ACC>;

  for (var u = tid; u < dims.units; u += WG) {
    var w: array<vec4<f32>, ROWS>;
    for (var r = 0u; r < ROWS; r++) {
      if (r < rows) {
        w[r] = W[(n0 + r) * dims.units + u];
        count_read(16u);
      }
    }
    for (var m = 0u; m < M_TILE; m++) {
      if (m < ms) {
        let xv = X[(m0 + m) * K4 + u];
        count_read(16u);
        for (var r = 0u; r < ROWS; r++) {
          acc[r * M_TILE + m] += dot(w[r], xv);
        }
      }
    }
  }

  // Sum the partials over the workgroup and store (reduce.wgsl, appended).
  reduce_and_store(tid, &acc, m0, n0, rows, ms);
  flush_counts();
}

// Scales are applied before the reduction: the sum is the output.
fn output_scale(n: u32) -> f32 {
  return 1.0;
}
