// Solution: look the page up once per token, then copy a contiguous row of D floats.
struct Params { len: u32 }

@group(0) @binding(0) var<storage, read> pool: array<f32>;
@group(0) @binding(1) var<storage, read> block_table: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

const D = 16u;
const PAGE = 8u;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let t = gid.x;
  // Ragged end: the grid covers whole workgroups, the sequence does not.
  if (t >= p.len) {
    return;
  }
  // One dependent load per token: which physical page holds logical block t / PAGE. Pages are
  // scattered, but inside a page a token's D floats are contiguous.
  let page = block_table[t / PAGE];
  let src = (page * PAGE + t % PAGE) * D;
  let dst = t * D;
  // With the page resolved, the copy is a plain stream: no more indirection in the loop.
  for (var c = 0u; c < D; c++) {
    out[dst + c] = pool[src + c];
  }
}
