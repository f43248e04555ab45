import type { EngineConfig } from './engine';
import type { Slo } from './metrics';
import { simulatePoint, type SweepPoint } from './sweep';
import type { ServeRequest } from './workload';

export interface PrefixStudy {
  off: SweepPoint;
  on: SweepPoint;
  /** Prompt tokens served from cache / all prompt tokens, with caching on. */
  hitRate: number;
  evictions: number;
  /** TTFT P50 and P99 with caching off divided by with it on (above 1 = faster with caching). */
  ttftGainP50: number;
  ttftGainP99: number;
}

/** The same requests at the same load with automatic prefix caching off and on. */
export function prefixStudy(unit: readonly ServeRequest[], qps: number, config: EngineConfig, slo: Slo): PrefixStudy {
  const off = simulatePoint(unit, qps, { ...config, prefixCaching: false }, slo);
  const on = simulatePoint(unit, qps, { ...config, prefixCaching: true }, slo);
  return {
    off,
    on,
    hitRate: on.prefixHitRate,
    evictions: on.evictions,
    ttftGainP50: on.ttft.p50 > 0 ? off.ttft.p50 / on.ttft.p50 : 1,
    ttftGainP99: on.ttft.p99 > 0 ? off.ttft.p99 / on.ttft.p99 : 1,
  };
}
