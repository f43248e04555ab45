import { useRef, type ReactNode } from 'react';
import { downloadPng, downloadSvg, svgText } from './export';
import { usePin } from './pin';

interface Props {
  title: string;
  /** File name stem for downloads. */
  name: string;
  children: ReactNode;
  /** Extra controls (play/pause, selectors) shown beside the title. */
  actions?: ReactNode;
  /** 'measured' for a chart of GPU measurements in a lab whose core is a simulation (for pinning). */
  source?: 'measured' | 'simulated';
}

/** A titled chart with SVG and PNG download; every lab's d3 chart sits in one. */
export function ChartFrame({ title, name, children, actions, source }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const svg = () => ref.current?.querySelector('svg') ?? null;
  const pin = usePin();
  return (
    <figure className="chart-frame">
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="chart-actions">
          {actions}
          {pin ? (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => svg() && pin({ kind: 'chart', title, source, svg: svgText(svg()!) })}
              aria-label={`Pin ${title} to the evidence board`}
            >
              Pin
            </button>
          ) : null}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => svg() && downloadSvg(svg()!, name)}
            aria-label={`Download ${title} as SVG`}
          >
            SVG
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => svg() && void downloadPng(svg()!, name)}
            aria-label={`Download ${title} as PNG`}
          >
            PNG
          </button>
        </span>
      </figcaption>
      <div ref={ref}>{children}</div>
    </figure>
  );
}
