// Solution: the workgroup reads its row once into workgroup memory, then every later pass
// (max, sum, normalise) reads the on-chip copy.
struct Params { rows: u32, cols: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

const WG = 256u;
const MAX_COLS = 1024u;

var<workgroup> cache: array<f32, MAX_COLS>; // the row, on chip
var<workgroup> red: array<f32, WG>;         // one partial result per invocation

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let base = wid.x * p.cols;
  let t = lid.x;

  // Pass 1, the only global read. Invocation t takes columns t, t + WG, ...: neighbours read
  // neighbouring addresses at the same time, which the hardware merges (coalescing).
  var m = -3.4e38;
  for (var c = t; c < p.cols; c += WG) {
    let v = x[base + c];
    cache[c] = v;
    m = max(m, v);
  }

  // Tree reduction of the per-invocation maxima: log2(WG) steps, each halving the active half.
  // The barriers sit outside any branch on t, so every invocation reaches every barrier.
  red[t] = m;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (t < s) {
      red[t] = max(red[t], red[t + s]);
    }
    workgroupBarrier();
  }
  let rowMax = red[0];
  // Everyone must have read red[0] before red is reused for the sum.
  workgroupBarrier();

  // Pass 2 reads the cached row, not global memory.
  var sum = 0.0;
  for (var c = t; c < p.cols; c += WG) {
    sum += exp(cache[c] - rowMax);
  }
  red[t] = sum;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (t < s) {
      red[t] += red[t + s];
    }
    workgroupBarrier();
  }
  let inv = 1.0 / red[0];

  // Pass 3: the only global write.
  for (var c = t; c < p.cols; c += WG) {
    y[base + c] = exp(cache[c] - rowMax) * inv;
  }
}
