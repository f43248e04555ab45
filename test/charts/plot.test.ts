import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LineChart } from '../../src/charts/LineChart';
import { Plot } from '../../src/charts/Plot';

describe('Plot frame', () => {
  it('draws at its real pixel width, with axis titles, and is one image when nothing is focusable', () => {
    const html = renderToStaticMarkup(
      createElement(Plot, {
        ariaLabel: 'test chart',
        height: 100,
        fallbackWidth: 400,
        x: { type: 'linear', domain: [0, 10], label: 'time (s)' },
        y: { type: 'linear', domain: [0, 1], label: 'share' },
        children: () => createElement('path', { d: 'M0,0' }),
      }),
    );
    expect(html).toMatch(/<svg[^>]*width="400"/);
    expect(html).toMatch(/viewBox="0 0 400 /);
    expect(html).toContain('role="img"');
    expect(html).toContain('time (s)');
    expect(html).toContain('share');
  });

  it('becomes a group of named, focusable points when marks use the tooltip', () => {
    const html = renderToStaticMarkup(
      createElement(LineChart, {
        series: [{ label: 'P99', xs: [1, 2, 3], ys: [5, 6, NaN], dots: true }],
        xLabel: 'load',
        yLabel: 'latency',
        yFormat: (v: number) => `${v} ms`,
        ariaLabel: 'latency against load',
      }),
    );
    expect(html).toContain('role="group"');
    // Two finite points, each focusable and named by its numbers; the NaN one is not drawn.
    expect(html.match(/<circle[^>]*tabindex="0"/g)).toHaveLength(2);
    expect(html).toContain('aria-label="P99; load: 2; latency: 6 ms"');
    expect(html).not.toContain('NaN');
  });

  it('puts a y title that is longer than the plot is tall above the plot instead of cutting it', () => {
    const html = renderToStaticMarkup(
      createElement(Plot, {
        ariaLabel: 'short chart',
        height: 60,
        fallbackWidth: 360,
        x: { type: 'linear', domain: [0, 1] },
        y: { type: 'linear', domain: [0, 1], label: 'a y-axis title far longer than sixty pixels' },
        children: () => null,
      }),
    );
    expect(html).not.toContain('rotate(-90)');
    expect(html).toContain('a y-axis title far longer than sixty pixels');
  });
});
