// Weight-only GEMV/GEMM with W stored as IEEE half floats: 2 bytes per weight, half of f32.
// y = x·Wᵀ, W N×K row-major, two halves packed per u32 (element 2i in the low 16 bits, as
// pack2x16float writes them). unpack2x16float widens them to f32 in registers, so no
// `shader-f16` feature is needed and the arithmetic is f32, as in the f32 baseline.
// Same structure as f32.wgsl (read it first): one workgroup per ROWS channels × M_TILE rows,
// invocations stride over K one coalesced 16-byte unit per row at a time, a tree reduction over
// the workgroup. A unit here is 8 weights (one vec4<u32>), consumed in two sub-steps of four.
// K must be a multiple of 8.
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
@group(0) @binding(1) var<storage, read> W: array<vec4<u32>>;
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
  // X vec4s per weight unit (2 here), read from the uniform: a run-time bound for the sub-step loop, so
  // lazily compiling drivers do not unroll it around the ROWS×M_TILE block (see src/kernels/loops.ts).
  let steps = K4 / dims.units;
  var acc: array<f32, ACC>;

  for (var u = tid; u < dims.units; u += WG) {
    var w: array<vec4<u32>, ROWS>;
    for (var r = 0u; r < ROWS; r++) {
      if (r < rows) {
        w[r] = W[(n0 + r) * dims.units + u];
        count_read(16u);
      }
    }
    for (var j = 0u; j < steps; j++) {
      // Dequantize four weights of each row into registers, once per workgroup.
      var wf: array<vec4<f32>, ROWS>;
      for (var r = 0u; r < ROWS; r++) {
        wf[r] = vec4<f32>(unpack2x16float(w[r][2u * j]), unpack2x16float(w[r][2u * j + 1u]));
      }
      for (var m = 0u; m < M_TILE; m++) {
        if (m < ms) {
          let xv = X[(m0 + m) * K4 + u * 2u + j];
          count_read(16u);
          for (var r = 0u; r < ROWS; r++) {
            acc[r * M_TILE + m] += dot(wf[r], xv);
          }
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
