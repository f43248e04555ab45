// Softmax cross-entropy backward: dlogits = (softmax(logits) − onehot(target)) · dLoss / scored
// on scored rows, 0 on rows whose target is IGNORE, for L = dLoss · mean loss. The probabilities
// are recomputed from the forward's lse (exp(logit − lse)), never stored.
// One workgroup per row: invocation 0 reads the row's target, its lse and the scored-row count
// (stats[1], from mean.wgsl) into workgroup memory; all WG invocations then stride over the row,
// reading each logit once and writing each gradient once. Elementwise, so deterministic.
override WG: u32 = 64;
const IGNORE: u32 = 0xFFFFFFFFu;

struct Params {
  rows: u32,
  vocab: u32,
  // dLoss (1, or the loss scale of mixed-precision training).
  dloss: f32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<u32>;
@group(0) @binding(3) var<storage, read> lse: array<f32>;
@group(0) @binding(4) var<storage, read> stats: array<f32>;
@group(0) @binding(5) var<storage, read_write> dlogits: array<f32>;

struct RowInfo {
  target_id: u32,
  lse: f32,
  k: f32,
}

var<workgroup> info: RowInfo;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = wg.x + wg.y * nwg.x;
  if (r >= P.rows) {
    return;
  }
  if (lid == 0u) {
    let t = targets[r];
    let scored = stats[1];
    info.target_id = t;
    info.lse = lse[r];
    // The scale: dLoss / scored rows, 0 for an ignored row (its whole gradient row is zero).
    info.k = select(P.dloss / max(scored, 1.0), 0.0, t == IGNORE);
    count_read(12u);
  }
  let row = workgroupUniformLoad(&info);
  let o = r * P.vocab;
  for (var v = lid; v < P.vocab; v += WG) {
    let p = exp(logits[o + v] - row.lse);
    dlogits[o + v] = (p - select(0.0, 1.0, v == row.target_id)) * row.k;
    count_read(4u);
    count_write(4u);
  }
  flush_counts();
}
