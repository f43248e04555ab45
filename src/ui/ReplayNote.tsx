import { useEffect, useSyncExternalStore } from 'react';
import type { LabResult } from '../labkit/contract';

/**
 * A lab's View may place the note beside the numbers it replays; the page's own note (the
 * fallback) then steps aside, so the note appears exactly once.
 */
const placed = new Map<string, number>();
const listeners = new Set<() => void>();
function bump(labId: string, by: number): void {
  placed.set(labId, (placed.get(labId) ?? 0) + by);
  for (const l of listeners) l();
}
function subscribe(cb: () => void): () => void {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

/** Says plainly that numbers on screen were measured elsewhere, on which adapter and when. */
export function ReplayNote({
  labId,
  result,
  fallback = false,
}: {
  labId: string;
  result: Pick<LabResult, 'replay' | 'status'>;
  fallback?: boolean;
}) {
  const { replay, status } = result;
  const viewHasOne = useSyncExternalStore(subscribe, () => (placed.get(labId) ?? 0) > 0);
  useEffect(() => {
    if (fallback) return;
    bump(labId, 1);
    return () => bump(labId, -1);
  }, [labId, fallback]);
  if (!replay || status !== 'done' || (fallback && viewHasOne)) return null;
  const when = new Date(replay.recordedAt);
  const date = Number.isNaN(when.getTime()) ? replay.recordedAt : when.toISOString().slice(0, 10);
  return (
    <p className="replay-note" role="status" data-testid="replay-note">
      <strong>Replayed recording</strong>: this browser has no WebGPU, so the{' '}
      {replay.partial ? 'GPU kernel results' : 'results'} below were measured on{' '}
      <span className="replay-adapter">{replay.adapter}</span> on {date}
      {replay.partial ? '; the simulation ran live here' : ''}, not on your device.
      {replay.clamped?.length ? (
        <>
          {' '}
          That device could not run the values as set, so the recorded run used its own limits:{' '}
          {replay.clamped.join(' ')}
        </>
      ) : null}
    </p>
  );
}
