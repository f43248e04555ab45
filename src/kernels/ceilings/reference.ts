/** CPU versions of the ceiling kernels, in float32 arithmetic (Math.fround) to match the GPU. */
export function copyReference(src: Float32Array): Float32Array {
  return src.slice();
}

export function fmaReference(data: Float32Array, iterations: number): Float32Array {
  const out = new Float32Array(data.length);
  const m = Math.fround(0.999);
  const c = Math.fround(0.001);
  for (let i = 0; i < data.length; i++) {
    let a = data[i];
    let b = Math.fround(a + 0.5);
    for (let k = 0; k < iterations; k++) {
      a = Math.fround(a * m + c);
      b = Math.fround(b * m + c);
    }
    out[i] = Math.fround(a + b);
  }
  return out;
}
