// f16 weight-only GEMV/GEMM whose multiplies are done in f16 (`shader-f16`), against
// shaders/quant/f16.wgsl (read it first), which widens each half to f32 and multiplies in f32.
// Same weights (two halves per u32, element 2i in the low 16 bits), same loop, same loads and
// counters, so the same global bytes (gemvCost('f16', …)); what changes is the arithmetic:
//  - each u32 is reinterpreted as vec2<f16> (bitcast: component 0 = low 16 bits, the layout
//    pack2x16float writes), with no unpack instruction;
//  - x is rounded to f16 once per vec4 it loads, and each four-weight dot product is computed
//    in f16 (on GPUs with packed half math, twice the f32 rate);
//  - the four-term dot is widened to f32 before it is added to the accumulator: summing K terms
//    in f16 would lose ~log2(K) bits, the usual mixed-precision split (f16 multiply, f32 sum).
// The reference rounds x to f16 too (the kernel's input), and the tolerance allows the f16
// rounding of the products (src/kernels/quant/features.ts, F16_ARITH_TOLERANCE).
// Offered only where the adapter reports shader-f16 (SwiftShader does not).
enable f16;

override WG: u32 = 64;

// Host-rewritten sizes (ROWS, M_TILE, ROWS·M_TILE, WG·ROWS·M_TILE), as in f16.wgsl.
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
      var wh: array<vec4<f16>, ROWS>;
      for (var r = 0u; r < ROWS; r++) {
        wh[r] = vec4<f16>(bitcast<vec2<f16>>(w[r][2u * j]), bitcast<vec2<f16>>(w[r][2u * j + 1u]));
      }
      for (var m = 0u; m < M_TILE; m++) {
        if (m < ms) {
          let xh = vec4<f16>(X[(m0 + m) * K4 + u * 2u + j]);
          count_read(16u);
          for (var r = 0u; r < ROWS; r++) {
            acc[r * M_TILE + m] += f32(dot(wh[r], xh));
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
