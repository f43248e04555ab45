// Decode-step PagedAttention (Kwon et al., SOSP 2023). One workgroup per (sequence, head): the
// sequence's single new query attends over all its cached keys and values. The cache is a pool of
// fixed-size physical blocks; token t of a sequence lives in block block_tables[seq][t / BLOCK_SIZE]
// at slot t % BLOCK_SIZE. Compared with contiguous.wgsl, the only change is that address: one
// extra table read per token, in exchange for memory allocated block by block instead of reserved
// for the longest possible sequence. Blocks shared by several sequences (a common prefix) are
// simply pointed at by several tables.
override WORKGROUP_SIZE: u32 = 64;
override HEAD_DIM: u32 = 64;
override BLOCK_SIZE: u32 = 16;
// Longest context a workgroup can hold scores for (workgroup memory: 4 bytes per token).
override MAX_CTX: u32 = 2048;

struct Params {
  num_seqs: u32,
  num_heads: u32,
  max_blocks: u32,
  scale_bits: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;            // [seq][head][HEAD_DIM]
@group(0) @binding(2) var<storage, read> k_cache: array<f32>;      // [block][slot][head][HEAD_DIM]
@group(0) @binding(3) var<storage, read> v_cache: array<f32>;      // [block][slot][head][HEAD_DIM]
@group(0) @binding(4) var<storage, read> block_tables: array<u32>; // [seq][max_blocks]
@group(0) @binding(5) var<storage, read> seq_lens: array<u32>;     // [seq]
@group(0) @binding(6) var<storage, read_write> out: array<f32>;    // [seq][head][HEAD_DIM]

var<workgroup> q_sh: array<f32, HEAD_DIM>;
var<workgroup> scores: array<f32, MAX_CTX>;
var<workgroup> red: array<f32, WORKGROUP_SIZE>;

fn kv_index(seq: u32, t: u32, head: u32) -> u32 {
  let phys = block_tables[seq * params.max_blocks + t / BLOCK_SIZE];
  return ((phys * BLOCK_SIZE + t % BLOCK_SIZE) * params.num_heads + head) * HEAD_DIM;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let seq = wg.x;
  let head = wg.y;
  let len = min(seq_lens[seq], MAX_CTX);
  let scale = bitcast<f32>(params.scale_bits);
  let q_base = (seq * params.num_heads + head) * HEAD_DIM;
  for (var d = lid; d < HEAD_DIM; d += WORKGROUP_SIZE) {
    q_sh[d] = q[q_base + d] * scale;
  }
  workgroupBarrier();

  // Scores q.k_t, one token per invocation at a time, and this invocation's running max.
  var m = -3.0e38;
  for (var t = lid; t < len; t += WORKGROUP_SIZE) {
    let base = kv_index(seq, t, head);
    var s = 0.0;
    for (var d = 0u; d < HEAD_DIM; d++) {
      s += q_sh[d] * k_cache[base + d];
    }
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
    out[q_base + d] = acc * inv_sum;
  }
}
