// Column sums, db[n] = Σ_m dY[m][n] over dY [M, N] (a linear layer's bias gradient), in up to two
// passes that are both this kernel. Pass 1 splits the rows into chunks of CHUNK: workgroup
// (x, y) owns WG columns of chunk y, each invocation walking its column down the chunk's rows in
// order and writing one partial sum (partial[y][n]); pass 2 sums the partials the same way, as
// one chunk. One invocation owns each output and adds in a fixed order, with no atomics, so the
// sums are the same bits every run (the trainer's resume promise); splitting the rows gives a
// tall dY (B·T = 1024 rows) ⌈M/CHUNK⌉ times the parallelism of one walk down each column.
// Neighbouring invocations read neighbouring floats of a row (coalesced). With M ≤ CHUNK there
// is one pass straight into db. Each invocation reads its chunk's values of one column and
// writes one value.
override WG: u32 = 64;

struct Params {
  rows: u32,
  cols: u32,
  chunk: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> db: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wg: vec3<u32>) {
  let c = gid.x;
  let r0 = wg.y * P.chunk;
  if (c >= P.cols || r0 >= P.rows) {
    return;
  }
  let r1 = min(P.rows, r0 + P.chunk);
  var s = 0.0;
  for (var r = r0; r < r1; r++) {
    s += dy[r * P.cols + c];
  }
  count_read(4u * (r1 - r0));
  db[wg.y * P.cols + c] = s;
  count_write(4u);
  flush_counts();
}
