import type { ReactNode } from 'react';
import { useFullLabLink } from './embedMode';

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
  // In an embed, the explanation (and, by CSS, every chart and table after the first) stays in the full lab.
  const fullLab = useFullLabLink();
  return (
    <>
      <section className="lab-picture" aria-label="Visualization">
        {picture}
      </section>
      <section className="lab-results" aria-label="Results">
        {results}
      </section>
      {fullLab ? (
        <p className="embed-more">
          <a href={fullLab} target="_blank" rel="noopener">
            More charts, every table and the explanation: open this lab in GPU Playground ↗
          </a>
        </p>
      ) : (
        <section className="lab-explain" aria-label="What you are seeing">
          <h2>What you are seeing</h2>
          {explanation}
        </section>
      )}
    </>
  );
}
