// Weight-only GEMV/GEMM with int8 weights and one f32 scale per output channel (symmetric,
// W[n][k] ≈ q[n][k]·s[n], q in −127..127): 1 byte per weight plus 4 bytes per channel.
// y = x·Wᵀ, W N×K row-major, four int8 per u32 (element 4i+b in byte b, little-endian).
// Dequantization happens in registers: the bytes are sign-extended by a shift pair and widened
// to f32; the dot products accumulate Σ q·x and the channel scale multiplies the reduced sum
// once per output (y = s·Σ q·x), so the inner loop does no per-weight multiply by s.
// Same structure as f32.wgsl (read it first). A unit here is 16 weights (one vec4<u32>),
// consumed in four sub-steps of four. K must be a multiple of 16.
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
@group(0) @binding(4) var<storage, read> S: array<f32>;

var<workgroup> partial: array<f32, PARTIALS>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) tid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let m0 = wid.x * M_TILE;
  let n0 = wid.y * ROWS;
  let rows = min(ROWS, dims.N - n0);
  let ms = min(M_TILE, dims.M - m0);
  let K4 = dims.K / 4u;
  // X vec4s per weight unit (4 here), read from the uniform: a run-time bound for the sub-step loop, so
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
        wf[r] = vec4<f32>((vec4<i32>(bitcast<i32>(w[r][j])) << vec4<u32>(24u, 16u, 8u, 0u)) >> vec4<u32>(24u));
      }
      for (var m = 0u; m < M_TILE; m++) {
        if (m < ms) {
          let xv = X[(m0 + m) * K4 + u * 4u + j];
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

// The per-channel scale is applied once per output, after the reduction.
fn output_scale(n: u32) -> f32 {
  count_read(4u);
  return S[n];
}
