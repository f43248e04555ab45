import type { ReactNode } from 'react';

/** The picture / results / explanation regions, in the same place in every lab. */
export function LabSections({
  picture,
  results,
  explanation,
}: {
  picture: ReactNode;
  results: ReactNode;
  explanation: ReactNode;
}) {
  return (
    <>
      <section className="lab-picture" aria-label="Visualization">
        {picture}
      </section>
      <section className="lab-results" aria-label="Results">
        {results}
      </section>
      <section className="lab-explain" aria-label="What you are seeing">
        <h2>What you are seeing</h2>
        {explanation}
      </section>
    </>
  );
}
