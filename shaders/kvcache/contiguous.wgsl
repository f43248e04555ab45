// Decode-step attention over a contiguous KV cache: the layout of serving systems before paging
// (FasterTransformer, Orca). Each sequence owns one region reserved for max_len tokens, so token t
// is simply at seq * max_len + t: no table lookup. This is the baseline paged.wgsl is timed
// against; the math and the work split are identical, only kv_index differs. Its cost is not in
// time but in memory: every region is sized for the longest possible sequence.
override WORKGROUP_SIZE: u32 = 64;
override HEAD_DIM: u32 = 64;
override BLOCK_SIZE: u32 = 16;
// Global loads and stores are counted with count_read/count_write (shaders/common/counters.wgsl);
// tests hold them to decodeAttentionCost (src/kernels/kvcache/cost.ts).
// Longest context a workgroup can hold scores for (workgroup memory: 4 bytes per token).
override MAX_CTX: u32 = 2048;

struct Params {
  num_seqs: u32,
  num_heads: u32,
  max_blocks: u32,
  scale_bits: u32,
  // Equal to HEAD_DIM: the dot product's run-time bound (a constant one is unrolled by lazily
  // compiling drivers, see src/kernels/loops.ts).
  head_dim: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;            // [seq][head][HEAD_DIM]
@group(0) @binding(2) var<storage, read> k_cache: array<f32>;      // [seq][max_len][head][HEAD_DIM]
@group(0) @binding(3) var<storage, read> v_cache: array<f32>;      // [seq][max_len][head][HEAD_DIM]
@group(0) @binding(4) var<storage, read> seq_lens: array<u32>;     // [seq]
@group(0) @binding(5) var<storage, read_write> out: array<f32>;    // [seq][head][HEAD_DIM]

var<workgroup> q_sh: array<f32, HEAD_DIM>;
var<workgroup> scores: array<f32, MAX_CTX>;
var<workgroup> red: array<f32, WORKGROUP_SIZE>;
var<workgroup> len_sh: u32;

fn kv_index(seq: u32, t: u32, head: u32) -> u32 {
  // The reserved length is max_blocks * BLOCK_SIZE, so both kernels take the same parameters.
  return ((seq * params.max_blocks * BLOCK_SIZE + t) * params.num_heads + head) * HEAD_DIM;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let seq = wg.x;
  let head = wg.y;
  // One invocation reads the length and shares it: one 4-byte load per workgroup.
  if (lid == 0u) {
    len_sh = seq_lens[seq];
    count_read(4u);
  }
  let len = min(workgroupUniformLoad(&len_sh), MAX_CTX);
  let scale = bitcast<f32>(params.scale_bits);
  let q_base = (seq * params.num_heads + head) * HEAD_DIM;
  for (var d = lid; d < HEAD_DIM; d += WORKGROUP_SIZE) {
    q_sh[d] = q[q_base + d] * scale;
    count_read(4u);
  }
  workgroupBarrier();

  // Scores q.k_t, one token per invocation at a time, and this invocation's running max.
  var m = -3.0e38;
  for (var t = lid; t < len; t += WORKGROUP_SIZE) {
    let base = kv_index(seq, t, head);
    var s = 0.0;
    for (var d = 0u; d < params.head_dim; d++) {
      s += q_sh[d] * k_cache[base + d];
    }
    count_read(4u * HEAD_DIM);
    scores[t] = s;
    m = max(m, s);
  }
  red[lid] = m;
  workgroupBarrier();
  for (var stride = WORKGROUP_SIZE / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) {
      red[lid] = max(red[lid], red[lid + stride]);
    }
    workgroupBarrier();
  }
  let row_max = red[0];
  workgroupBarrier();

  var sum = 0.0;
  for (var t = lid; t < len; t += WORKGROUP_SIZE) {
    let e = exp(scores[t] - row_max);
    scores[t] = e;
    sum += e;
  }
  red[lid] = sum;
  workgroupBarrier();
  for (var stride = WORKGROUP_SIZE / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) {
      red[lid] += red[lid + stride];
    }
    workgroupBarrier();
  }
  let inv_sum = 1.0 / red[0];

  // Weighted sum of values: each invocation owns output dimensions, so neighbours read
  // neighbouring floats of the same value row.
  for (var d = lid; d < HEAD_DIM; d += WORKGROUP_SIZE) {
    var acc = 0.0;
    for (var t = 0u; t < len; t++) {
      acc += scores[t] * v_cache[kv_index(seq, t, head) + d];
    }
    count_read(4u * len);
    out[q_base + d] = acc * inv_sum;
    count_write(4u);
  }
  flush_counts();
}
