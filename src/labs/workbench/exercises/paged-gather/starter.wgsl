// Starter: one token per invocation, but the page table is consulted for every float.
struct Params { len: u32 }

@group(0) @binding(0) var<storage, read> pool: array<f32>;
@group(0) @binding(1) var<storage, read> block_table: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

const D = 16u;
const PAGE = 8u;

// Where float c of token t lives in the pool.
fn pool_index(t: u32, c: u32) -> u32 {
  let page = block_table[t / PAGE];
  return (page * PAGE + t % PAGE) * D + c;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let t = gid.x;
  if (t >= p.len) {
    return;
  }
  for (var c = 0u; c < D; c++) {
    out[t * D + c] = pool[pool_index(t, c)];
  }
}
