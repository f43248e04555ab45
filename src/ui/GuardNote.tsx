/**
 * A lab's guard rail, shown beside its numbers (issue 31): when this run's measurement contradicts the
 * lesson the page teaches, say so and why on this adapter, instead of leaving the student to doubt
 * one or the other. `message` comes from the lab's pure decision function (its guard.ts); null hides it.
 */
export function GuardNote({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="guard-note" data-testid="guard-note">
      <strong>This run disagrees with the lesson:</strong> {message}
    </p>
  );
}

/** Why a CPU-backed adapter turns a GPU lesson around: shared wording for the labs' guard rails. */
export const SOFTWARE_ADAPTER =
  'This adapter is a software GPU (SwiftShader or llvmpipe), that is a CPU: its “global memory” is the CPU’s caches and RAM, close and cheap, while barriers and extra instructions cost full CPU cycles.';
