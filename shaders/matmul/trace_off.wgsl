// Trace hooks compiled away: every build but the tiling lab's trace build (see trace_on.wgsl).
fn trace_begin(wid: vec3<u32>, tid: u32, step: u32) {}
fn trace_pause() {}
fn trace_access(live: bool, space: u32, word: u32) {}
fn trace_end() {}
