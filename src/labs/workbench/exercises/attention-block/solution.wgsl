// Solution: a block of 64 queries per workgroup walks K and V once, tile by tile, from workgroup
// memory, with an online softmax so that one pass is enough.
struct Params { Lq: u32, Lk: u32 }

@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> k: array<f32>;
@group(0) @binding(2) var<storage, read> v: array<f32>;
@group(0) @binding(3) var<storage, read_write> o: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

const D = 16u;
const BQ = 64u; // queries per workgroup, one per invocation
const TK = 32u; // keys per tile: 2 x 32 x 16 x 4 B = 4 KiB of workgroup memory

var<workgroup> Ks: array<f32, TK * D>;
var<workgroup> Vs: array<f32, TK * D>;

@compute @workgroup_size(BQ)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = gid.x;
  // Invocations past the last query still load tiles and reach every barrier; they only skip
  // their own arithmetic. A `return` here would leave the others waiting at a barrier.
  let live = i < p.Lq;

  // The query row lives in registers for the whole walk; folding the 1/sqrt(D) scale in now
  // saves a multiply per score.
  var qi: array<f32, D>;
  if (live) {
    for (var c = 0u; c < D; c++) {
      qi[c] = q[i * D + c] / sqrt(f32(D));
    }
  }

  var m = -3.4e38;        // running max of the scores seen so far
  var l = 0.0;            // running sum of exp(score - m)
  var acc: array<f32, D>; // running sum of exp(score - m) * V row

  let tiles = (p.Lk + TK - 1u) / TK;
  for (var t = 0u; t < tiles; t++) {
    // Cooperative load: the 64 invocations copy the tile's 32 x 16 floats of K and of V, each
    // element once. This is where the sharing happens: one global read per block of 64 queries.
    for (var e = lid.x; e < TK * D; e += BQ) {
      let key = t * TK + e / D;
      if (key < p.Lk) {
        Ks[e] = k[key * D + e % D];
        Vs[e] = v[key * D + e % D];
      }
    }
    workgroupBarrier();

    let n = min(TK, p.Lk - t * TK); // the last tile may be ragged
    if (live) {
      for (var j = 0u; j < n; j++) {
        var s = 0.0;
        for (var c = 0u; c < D; c++) {
          s += qi[c] * Ks[j * D + c];
        }
        // Online softmax: if this score raises the max, everything summed so far was scaled by
        // exp(-m_old) and must be rescaled to exp(-m_new). corr = 1 when the max is unchanged.
        let mNew = max(m, s);
        let corr = exp(m - mNew);
        let w = exp(s - mNew);
        l = l * corr + w;
        for (var c = 0u; c < D; c++) {
          acc[c] = acc[c] * corr + w * Vs[j * D + c];
        }
        m = mNew;
      }
    }
    // The next tile overwrites Ks and Vs: wait until every invocation is done with this one.
    workgroupBarrier();
  }

  if (live) {
    // Normalise once at the end instead of dividing every weight.
    for (var c = 0u; c < D; c++) {
      o[i * D + c] = acc[c] / l;
    }
  }
}
