// Weight-only GEMV/GEMM, int4 group-wise symmetric (Q4_0-like): per group of GROUP weights
// along K one f16 scale, W[n][k] ≈ (q − 8)·s with q in 0..15. Bytes per weight: 0.5 + 2/GROUP
// (llama.cpp's Q4_0: 32 weights in 18 bytes, the same as GROUP = 32 here).
// Layout: W N×K row-major, eight 4-bit values per u32 (element 8i+b in bits 4b..4b+3, i.e. the
// low nibble of each byte first: onnxruntime's MatMulNBits layout); scales as f16 pairs per u32.
// Dequantization happens in registers: shift, mask, widen to f32, subtract the zero, multiply.
// Same structure as f32.wgsl (read it first): a unit is 32 weights (one vec4<u32> per row,
// neighbouring invocations on neighbouring units), consumed in eight sub-steps of four. The
// group scales (and zero points) a step of WG units needs are staged once in workgroup memory,
// so each is loaded from global memory once per workgroup, for any GROUP that is a multiple of
// 32, while the weight loads stay coalesced. K must be a multiple of GROUP.
override GROUP: u32 = 32;
override WG: u32 = 64;

// Register and workgroup array sizes must be fixed when the module is created: the host
// rewrites these lines (ROWS, M_TILE, ROWS·M_TILE, WG·ROWS·M_TILE, ROWS·WG).
const ROWS: u32 = 4u;
const M_TILE: u32 = 4u;
const ACC: u32 = 16u;
const PARTIALS: u32 = 1024u;
const STAGED: u32 = 256u;

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

var<workgroup> partial: array<f32, PARTIALS>;
// Scales (and zero points) of the groups one step of WG units covers, per row: [r][group in step].
var<workgroup> stagedScale: array<f32, STAGED>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) tid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  let m0 = wid.x * M_TILE;
  let n0 = wid.y * ROWS;
  let rows = min(ROWS, dims.N - n0);
  let ms = min(M_TILE, dims.M - m0);
  let K4 = dims.K / 4u;
  // X vec4s per weight unit (8 here), read from the uniform: a run-time bound for the sub-step loop, so
  // lazily compiling drivers do not unroll it around the ROWS×M_TILE block (see src/kernels/loops.ts).
  let steps = K4 / dims.units;
  var acc: array<f32, ACC>;
  let groups = dims.K / GROUP;
  let upg = GROUP / 32u;
  // Groups touched by one step of WG units (GROUP ≥ 32, so at most WG).
  let perStep = (WG + upg - 1u) / upg;
  // The loop bound is the same for every invocation (uniform), as the barriers require.
  for (var base = 0u; base < dims.units; base += WG) {
    let g0 = base / upg;
    for (var i = tid; i < ROWS * perStep; i += WG) {
      let r = i / perStep;
      let g = g0 + i % perStep;
      if (r < rows && g < groups) {
        let gi = (n0 + r) * groups + g;
        stagedScale[i] = unpack2x16float(S[gi >> 1u])[gi & 1u];
        count_read(2u);
      }
    }
    workgroupBarrier();
    let u = base + tid;
    if (u < dims.units) {
      let local = u / upg - g0;
      var w: array<vec4<u32>, ROWS>;
      for (var r = 0u; r < ROWS; r++) {
        if (r < rows) {
          w[r] = W[(n0 + r) * dims.units + u];
          count_read(16u);
        }
      }
      for (var j = 0u; j < steps; j++) {
        // Four 4-bit values of each row → f32 in registers: (q − 8)·scale.
        let shift = (j & 1u) * 16u;
        var wf: array<vec4<f32>, ROWS>;
        for (var r = 0u; r < ROWS; r++) {
          let slot = r * perStep + local;
          let word = w[r][j >> 1u];
          let q = (vec4<u32>(word) >> vec4<u32>(shift, shift + 4u, shift + 8u, shift + 12u)) & vec4<u32>(0xFu);
          wf[r] = (vec4<f32>(q) - 8.0) * stagedScale[slot];
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
    // The next step overwrites the staged values.
    workgroupBarrier();
  }

  // Sum the partials over the workgroup and store (reduce.wgsl, appended).
  reduce_and_store(tid, &acc, m0, n0, rows, ms);
  flush_counts();
}

// Scales are applied before the reduction: the sum is the output.
fn output_scale(n: u32) -> f32 {
  return 1.0;
}
