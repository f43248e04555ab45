// The overhead regime's kernel: x[i] += 1.0, ADDS times, for a small vector. With ADDS = 1 it is
// the "tiny op" dispatched many times; with ADDS = K it is the same K ops fused into one dispatch
// (one read, K adds in registers, one write). A few thousand floats make each dispatch's work
// negligible, so what the timings show is the cost of launching work, not doing it: the third
// regime of "Making Deep Learning Go Brrrr From First Principles" (He, 2022), after memory and compute.
override WG: u32 = 64;
override ADDS: u32 = 1;

@group(0) @binding(0) var<storage, read_write> X: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= arrayLength(&X)) {
    return;
  }
  var v = X[i];
  for (var a = 0u; a < ADDS; a++) {
    v += 1.0;
  }
  X[i] = v;
  count_read(4u);
  count_write(4u);
  flush_counts();
}
