import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Roofline } from '../../src/charts/Roofline';
import type { Ceilings } from '../../src/kernels/ceilings/ceilings';
import type { RooflinePoint } from '../../src/store';

const m = (gbPerS: number, gflopPerS: number) => ({ gbPerS, gflopPerS }) as Ceilings['copy'];
const ceilings = {
  copy: m(100, 0),
  fma: m(0, 1000),
  params: { copyMiB: 16, fmaThreads: 256, fmaIterations: 128 },
} as Ceilings;

function point(id: string, lab: string, flops: number, bytes: number, ms: number): RooflinePoint {
  return { id, lab, kernel: 'k', variant: id, size: 'N = 1 M', flops, bytes, ms, adapter: 'test/test' };
}

describe('Roofline chart', () => {
  it('draws device roofs, the ridge, reference profiles, points and projections', () => {
    const html = renderToStaticMarkup(
      createElement(Roofline, {
        points: [
          point('a', 'memory-wall', 1e6, 1e6, 1),
          point('b', 'memory-wall', 2e6, 1e6, 1),
          point('c', 'tiling', 1e9, 1e7, 1),
          point('copy', 'device', 0, 1e6, 1),
        ],
        ceilings,
        profileIds: ['h100-sxm', 'not-a-profile'],
        highlightLab: 'memory-wall',
        showProjections: true,
      }),
    );
    expect(html).toContain('data-roof="device"');
    expect(html).toContain('data-roof="h100-sxm/fp32"');
    expect(html).not.toContain('not-a-profile');
    expect(html).toContain('ridge 10.0 FLOP/B');
    expect(html.match(/class="point"/g)).toHaveLength(3);
    // Projections only for the highlighted lab's points, one per profile.
    expect(html.match(/class="projection"/g)).toHaveLength(2);
    expect(html).toContain('1 run with 0 FLOP (pure copies) not drawn');
    expect(html.match(/log scale\)/g)).toHaveLength(2);
  });

  it('renders without ceilings or points and says what is missing', () => {
    const html = renderToStaticMarkup(createElement(Roofline, { points: [], ceilings: null }));
    expect(html).toContain('not measured yet');
    expect(html).not.toContain('class="point"');
    expect(html).not.toContain('NaN');
  });
});
