import { useLabResult } from '../labState';

/** Says plainly that numbers on screen were measured elsewhere, on which adapter and when. */
export function ReplayNote({ labId }: { labId: string }) {
  const { replay, status } = useLabResult(labId);
  if (!replay || status !== 'done') return null;
  const when = new Date(replay.recordedAt);
  const date = Number.isNaN(when.getTime()) ? replay.recordedAt : when.toISOString().slice(0, 10);
  return (
    <p className="replay-note" role="status" data-testid="replay-note">
      <strong>Replayed recording</strong>: this browser has no WebGPU, so the {replay.partial ? 'GPU kernel results' : 'results'} below were measured on{' '}
      <span className="replay-adapter">{replay.adapter}</span> on {date}
      {replay.partial ? '; the simulation ran live here' : ''}, not on your device.
    </p>
  );
}
