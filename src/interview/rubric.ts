import type { EvidenceItem, ParamRecord } from './types';

/**
 * A rubric observation: what a strong answer cites, and the lab state that shows it. It is met by
 * a pinned item from that lab whose parameters include every value named here.
 */
export interface Observation {
  id: string;
  text: string;
  lab: string;
  /** The values that define the state (a subset of the lab's parameters). */
  params: ParamRecord;
  /** Only a table or only a chart will do, where it matters. */
  kind?: 'table' | 'chart';
  /** Words the pinned table's caption or chart's title contains (case-insensitive), where a lab shows several. */
  title?: string;
}

export interface RubricLine {
  observation: Observation;
  /** The pinned items that show it; empty when it is still missing. */
  evidence: EvidenceItem[];
}

export function matches(o: Observation, item: EvidenceItem): boolean {
  if (item.lab !== o.lab) return false;
  if (o.kind && item.kind !== o.kind) return false;
  if (o.title && !item.title.toLowerCase().includes(o.title.toLowerCase())) return false;
  return Object.entries(o.params).every(([k, v]) => item.params[k] === v);
}

export function evaluateRubric(rubric: readonly Observation[], items: readonly EvidenceItem[]): RubricLine[] {
  return rubric.map((observation) => ({ observation, evidence: items.filter((i) => matches(observation, i)) }));
}

export function rubricScore(lines: readonly RubricLine[]): { met: number; total: number } {
  return { met: lines.filter((l) => l.evidence.length).length, total: lines.length };
}
