import { SOFTWARE_ADAPTER } from '../../ui/GuardNote';

/**
 * The lesson: a GPU computes far faster than it moves bytes, so its ridge point (FMA FLOP/s ÷ copy
 * bytes/s) is tens of FLOPs per byte (H100 about 20 in FP32 against HBM, an M2 about 36). Disagreement:
 * the measured ridge is below 4 FLOP/byte, where nearly every kernel would look compute-bound.
 */
export function deviceGuard(m: { copyGBps: number; fmaGflops: number; software: boolean }): string | null {
  if (!(m.copyGBps > 0) || !(m.fmaGflops > 0)) return null;
  const ridge = m.fmaGflops / m.copyGBps;
  if (ridge >= 4) return null;
  const what = `the ridge point measured here is ${ridge.toFixed(1)} FLOP/byte, where a GPU’s is tens.`;
  const cap = what[0].toUpperCase() + what.slice(1);
  if (m.software)
    return `${cap} ${SOFTWARE_ADAPTER} Its arithmetic runs on a few CPU cores instead of thousands of lanes, so compute is as scarce as bandwidth and the roofline’s two roofs nearly meet.`;
  return `${cap} The FMA kernel may not have filled this GPU (too few workgroups) or was throttled; re-run it on an idle machine.`;
}
