import { useRef, type ReactNode } from 'react';
import { svgText } from '../../ui/export';
import { usePin } from '../../ui/pin';

/**
 * The block map with a Pin button (interview mode), as ChartFrame gives a chart: the pinned picture
 * is the map at the step on screen, titled with that step, so the board shows the cache as it was.
 */
export function PinMap({ title, children }: { title: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const pin = usePin();
  const svg = () => ref.current?.querySelector('svg') ?? null;
  return (
    <>
      {pin ? (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => svg() && pin({ kind: 'chart', title, source: 'measured', svg: svgText(svg()!) })}
          aria-label={`Pin ${title} to the evidence board`}
        >
          Pin
        </button>
      ) : null}
      <div ref={ref}>{children}</div>
    </>
  );
}
