// Checking against the CPU reference: ONE error metric for every kernel.
//
//   error = max_i |got_i − want_i| / max_i |want_i|
//
// the largest absolute difference relative to the largest reference magnitude (1 where the
// reference is all zeros). Element-wise relative error is meaningless where a sum cancels to near
// zero; a plain absolute error depends on the data's scale. Like llm.c's validate_result, a kernel
// passes when this stays within the kernel's tolerance (its limits.ts or reference.ts says why that
// value), and a failure names the worst index with both values. Only then is the kernel timed:
// a fast wrong kernel is not a measurement.

export interface CheckError {
  /** The metric: max |got − want| / max |want|. NaN anywhere makes it Infinity. */
  error: number;
  /** max |got − want|. */
  maxAbs: number;
  /** max |want| (the denominator; 1 when the reference is all zeros). */
  scale: number;
  /** Output index of the worst difference (-1 when nothing differs). */
  index: number;
  got: number;
  want: number;
  /** Outputs compared (a large output may be checked at sampled positions). */
  checked: number;
}

/**
 * Accumulates the metric over chunks or sampled positions, so a large output is never held whole.
 * `add(got, want, at)`: `at` maps position i of this chunk to its index in the whole output
 * (an offset or an array of positions; default i).
 */
export class ErrorMeter {
  private maxAbs = 0;
  private scale = 0;
  private index = -1;
  private got = NaN;
  private want = NaN;
  private checked = 0;

  add(got: ArrayLike<number>, want: ArrayLike<number>, at: number | ArrayLike<number> = 0): this {
    if (got.length < want.length)
      throw new RangeError(`output has ${got.length} values where the reference has ${want.length}`);
    for (let i = 0; i < want.length; i++) {
      const d = Math.abs(got[i] - want[i]);
      if (!(d <= this.maxAbs)) {
        this.maxAbs = Number.isNaN(d) ? Infinity : d;
        this.index = typeof at === 'number' ? at + i : at[i];
        this.got = got[i];
        this.want = want[i];
      }
      this.scale = Math.max(this.scale, Math.abs(want[i]));
    }
    this.checked += want.length;
    return this;
  }

  result(): CheckError {
    const scale = this.scale > 0 ? this.scale : 1;
    return {
      error: this.maxAbs / scale,
      maxAbs: this.maxAbs,
      scale,
      index: this.index,
      got: this.got,
      want: this.want,
      checked: this.checked,
    };
  }
}

/** The metric over a whole output (or over sampled `positions`, with want[i] the reference at positions[i]). */
export function compareOutputs(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  positions?: ArrayLike<number>,
): CheckError {
  if (!positions) return new ErrorMeter().add(got, want).result();
  const picked = Array.from(positions, (p) => got[p]);
  return new ErrorMeter().add(picked, want, positions).result();
}
