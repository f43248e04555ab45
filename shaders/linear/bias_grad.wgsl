// Bias gradient of a linear layer: db[n] = Σ_m dY[m][n], the column sums of dY [M, N].
// One invocation per column, WG columns per workgroup, each walking its column down every row in
// row order: neighbouring invocations read neighbouring floats of a row (coalesced), and the sum
// has one fixed order with no atomics, so it is the same bits on every run (the trainer's resume
// promise). A split over rows would add parallelism for tall dY, at the price of a second pass.
// Each invocation reads its M values of dY and writes one value of db.
override WG: u32 = 64;

struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> db: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  if (c >= P.cols) {
    return;
  }
  var s = 0.0;
  for (var r = 0u; r < P.rows; r++) {
    s += dy[r * P.cols + c];
  }
  count_read(4u * P.rows);
  db[c] = s;
  count_write(4u);
  flush_counts();
}
