// Weight-only GEMV/GEMM, int4 group-wise asymmetric (the AWQ/GPTQ layout): per group of GROUP
// weights along K, one f16 scale and one zero point, W[n][k] ≈ (q − z)·s with q, z in 0..15.
// Bytes per weight: 0.5 + 3/GROUP (scale 2 bytes, zero point 1 byte; AWQ packs zero points to
// 4 bits, which would save another 0.5/GROUP). The zero point lets a group whose weights are
// not centred on 0 use all 16 levels.
// Layout: W N×K row-major, eight 4-bit values per u32 (element 8i+b in bits 4b..4b+3, i.e. the
// low nibble of each byte first: onnxruntime's MatMulNBits layout); scales as f16 pairs per u32.
// Dequantization happens in registers: shift, mask, widen to f32, subtract the zero, multiply.
// Same structure as f32.wgsl (read it first), except that an invocation's step is one whole
// group (GROUP/32 vec4<u32> per row) so each scale is loaded once: for GROUP = 32 that is one
// coalesced 16-byte unit per invocation, as in the other variants. K must be a multiple of GROUP.
override GROUP: u32 = 32;
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
@group(0) @binding(4) var<storage, read> S: array<u32>;
@group(0) @binding(5) var<storage, read> Z: array<u32>;

var<workgroup> partial: array<f32, PARTIALS>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) tid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let m0 = wid.x * M_TILE;
  let n0 = wid.y * ROWS;
  let rows = min(ROWS, dims.N - n0);
  let ms = min(M_TILE, dims.M - m0);
  let K4 = dims.K / 4u;
  var acc: array<f32, ACC>;
  let groups = dims.K / GROUP;
  let vpg = GROUP / 32u;
  // One group of GROUP weights per row per step: its scale and zero point are read once.
  for (var g = tid; g < groups; g += WG) {
    var scale: array<f32, ROWS>;
    var zero: array<f32, ROWS>;
    for (var r = 0u; r < ROWS; r++) {
      if (r < rows) {
        let i = (n0 + r) * groups + g;
        scale[r] = unpack2x16float(S[i >> 1u])[i & 1u];
        count_read(2u);
        zero[r] = f32((Z[i >> 2u] >> ((i & 3u) * 8u)) & 0xFFu);
        count_read(1u);
      }
    }
    for (var v = 0u; v < vpg; v++) {
      let u = g * vpg + v;
      var w: array<vec4<u32>, ROWS>;
      for (var r = 0u; r < ROWS; r++) {
        if (r < rows) {
          w[r] = W[(n0 + r) * dims.units + u];
          count_read(16u);
        }
      }
      for (var j = 0u; j < 8u; j++) {
        // Four 4-bit values of each row → f32 in registers: (q − z)·scale.
        let shift = (j & 1u) * 16u;
        var wf: array<vec4<f32>, ROWS>;
        for (var r = 0u; r < ROWS; r++) {
          let word = w[r][j >> 1u];
          let q = (vec4<u32>(word) >> vec4<u32>(shift, shift + 4u, shift + 8u, shift + 12u)) & vec4<u32>(0xFu);
          wf[r] = (vec4<f32>(q) - zero[r]) * scale[r];
        }
        for (var m = 0u; m < M_TILE; m++) {
          if (m < ms) {
            let xv = X[(m0 + m) * K4 + u * 8u + j];
            count_read(16u);
            for (var r = 0u; r < ROWS; r++) {
              acc[r * M_TILE + m] += dot(wf[r], xv);
            }
          }
        }
      }
    }
  }

  for (var i = 0u; i < ACC; i++) {
    partial[i * WG + tid] = acc[i];
  }
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (tid < s) {
      for (var i = 0u; i < ACC; i++) {
        partial[i * WG + tid] += partial[i * WG + tid + s];
      }
    }
    workgroupBarrier();
  }
  if (tid < ACC) {
    let r = tid / M_TILE;
    let m = tid % M_TILE;
    if (r < rows && m < ms) {
      Y[(m0 + m) * dims.N + n0 + r] = partial[tid * WG];
      count_write(4u);
    }
  }
  flush_counts();
}
