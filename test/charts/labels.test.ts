import { describe, expect, it } from 'vitest';
import { spreadLabels } from '../../src/charts/labels';

describe('spreadLabels', () => {
  it('leaves labels that do not collide where they want to be', () => {
    expect(spreadLabels([10, 50, 30], 12, 0, 100)).toEqual([10, 50, 30]);
  });

  it('moves colliding labels apart symmetrically around their wishes', () => {
    // Both want 40: the pair is centred there, 12 apart.
    expect(spreadLabels([40, 40], 12, 0, 100)).toEqual([34, 46]);
    // A chain: 20, 25, 30 → centred on 25, 12 apart.
    expect(spreadLabels([30, 20, 25], 12, 0, 100)).toEqual([37, 13, 25]);
  });

  it('keeps every pair at least the gap apart and inside the bounds', () => {
    const want = [5, 6, 7, 50, 52, 95, 96, 99];
    const got = spreadLabels(want, 11, 0, 100);
    const sorted = [...got].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThanOrEqual(11 - 1e-9);
    expect(Math.min(...got)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...got)).toBeLessThanOrEqual(100);
    // Order along the axis is kept: a label never jumps over another.
    const byWish = want.map((_, i) => i).sort((a, b) => want[a] - want[b]);
    expect(byWish.map((i) => got[i])).toEqual(sorted);
  });

  it('a cluster that merges into a neighbour is re-centred with it', () => {
    // 0 and 10 collide (gap 12) and become 0,12 pushed by the bound; 20 then collides with 12.
    const got = spreadLabels([0, 10, 20], 12, 0, 100);
    expect(got).toEqual([0, 12, 24]);
  });
});

describe('Roofline roof labels', () => {
  it('never overlap, with every reference profile and a device roof close to one of them', async () => {
    const { createElement } = await import('react');
    const { renderToStaticMarkup } = await import('react-dom/server');
    const { Roofline } = await import('../../src/charts/Roofline');
    type Ceilings = import('../../src/kernels/ceilings/ceilings').Ceilings;
    const m = (gbPerS: number, gflopPerS: number) => ({ gbPerS, gflopPerS }) as Ceilings['copy'];
    // An M2-like device: its FP32 roof sits right on apple-m2's, and H100/RTX 4090 are 20% apart.
    const ceilings = {
      copy: m(90, 0),
      fma: m(0, 3400),
      params: { copyMiB: 16, fmaThreads: 256, fmaIterations: 128 },
    } as Ceilings;
    const html = renderToStaticMarkup(
      createElement(Roofline, {
        points: [],
        ceilings,
        profileIds: ['h100-sxm', 'a100-80gb', 'rtx-4090', 'apple-m2', 'iris-xe'],
        showBf16: true,
      }),
    );
    const ys = [
      ...html.matchAll(/<g data-roof-label="[^"]+">(?:<line[^>]*><\/line>)?<text x="[^"]+" y="([^"]+)"/g),
    ].map((x) => Number(x[1]));
    // Device + 5 FP32 + the BF16 roofs of the profiles that have one.
    expect(ys.length).toBeGreaterThanOrEqual(6);
    const sorted = [...ys].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThanOrEqual(13 - 1e-9);
  });
});
