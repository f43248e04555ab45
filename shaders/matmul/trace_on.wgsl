// Access traces for the tiling lab's coalescing and bank-conflict heatmaps. Appended to a matmul
// kernel only for a trace build (src/kernels/matmul/trace.ts); every other build gets
// trace_off.wgsl, whose hooks are empty, so timed and counted kernels carry no trace code and no
// extra binding.
//
// For one workgroup (TRACE_WG_X, TRACE_WG_Y) and one step of its K loop (TRACE_STEP), each
// invocation records, in program order, every global and workgroup-memory access it makes: one u32
// per access site, (space << 28) | word index, or 0xffffffff where the invocation skips that access
// (an out-of-range element). Slot 0 of an invocation's TRACE_SLOTS + 1 words is its event count.
// Spaces: 0 global A read, 1 global B read, 2 global C write, 3 tile A store, 4 tile A load,
// 5 tile B store, 6 tile B load; +8 when the access is a 16-byte vec4 (word = first word).
override TRACE_WG_X: u32 = 0u;
override TRACE_WG_Y: u32 = 0u;
override TRACE_STEP: u32 = 0u;
override TRACE_SLOTS: u32 = 512u;

@group(2) @binding(0) var<storage, read_write> TRACE_BUF: array<u32>;

var<private> trace_on: bool = false;
var<private> trace_mine: bool = false;
var<private> trace_slot: u32 = 0u;
var<private> trace_n: u32 = 0u;

fn trace_begin(wid: vec3<u32>, tid: u32, step: u32) {
  trace_mine = wid.x == TRACE_WG_X && wid.y == TRACE_WG_Y;
  trace_on = trace_mine && step == TRACE_STEP;
  trace_slot = tid * (TRACE_SLOTS + 1u);
}

fn trace_pause() {
  trace_on = false;
}

fn trace_access(live: bool, space: u32, word: u32) {
  if (trace_on) {
    if (trace_n < TRACE_SLOTS) {
      var e = 0xffffffffu;
      if (live) {
        e = (space << 28u) | word;
      }
      TRACE_BUF[trace_slot + 1u + trace_n] = e;
    }
    trace_n += 1u;
  }
}

fn trace_end() {
  if (trace_mine) {
    TRACE_BUF[trace_slot] = trace_n;
  }
}
