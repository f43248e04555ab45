import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { describe, expect, it } from 'vitest';
import { boardToHtml, boardToMarkdown, itemLink } from '../../src/interview/exportHtml';
import { evaluateRubric, rubricScore, type Observation } from '../../src/interview/rubric';
import { sanitizeSvg } from '../../src/interview/svgSafe';
import type { Board, EvidenceItem } from '../../src/interview/types';

const item = (over: Partial<EvidenceItem>): EvidenceItem => ({
  id: 'i1',
  lab: 'dataloader',
  labTitle: 'Data pipeline',
  params: { numWorkers: 0, batchSize: 64 },
  kind: 'table',
  title: 'GPU utilization',
  adapter: null,
  source: 'simulated',
  pinnedAt: '2026-12-01T12:00:00.000Z',
  table: { columns: ['workers', 'utilization (%)'], rows: [[0, 28]] },
  ...over,
});

describe('rubric', () => {
  const rubric: Observation[] = [
    { id: 'zero', text: 'GPU utilization with 0 workers', lab: 'dataloader', params: { numWorkers: 0 } },
    { id: 'four', text: 'GPU utilization with 4 workers', lab: 'dataloader', params: { numWorkers: 4 } },
    { id: 'chart', text: 'The roofline point', lab: 'memory-wall', params: {}, kind: 'chart' },
  ];
  it('marks an observation met by a pinned item of its lab whose parameters include its values', () => {
    const items = [item({}), item({ id: 'i2', lab: 'memory-wall', kind: 'table', params: {} })];
    const lines = evaluateRubric(rubric, items);
    expect(lines.map((l) => l.evidence.map((e) => e.id))).toEqual([['i1'], [], []]);
    expect(rubricScore(lines)).toEqual({ met: 1, total: 3 });
    const more = evaluateRubric(rubric, [...items, item({ id: 'i3', params: { numWorkers: 4, batchSize: 64 } }), item({ id: 'i4', lab: 'memory-wall', kind: 'chart', svg: '<svg/>', params: { size: 1 } })]);
    expect(rubricScore(more)).toEqual({ met: 3, total: 3 });
  });
});

describe('SVG whitelist', () => {
  it('keeps drawing elements and presentation attributes', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g transform="translate(1,1)"><rect width="5" height="5" style="fill:#f80"/><text x="1" y="2">a &lt; b &amp; c</text></g></svg>';
    expect(sanitizeSvg(svg)).toBe(svg);
  });
  it('drops scripts, handlers, foreign content, external references and entities', () => {
    const evil =
      '<svg onload="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)"><rect/></a><foreignObject><img src=x onerror=alert(4)></foreignObject>' +
      '<rect fill="url(https://evil/x)" style="background:url(//evil)" width="2"/><use href="#x"/><image href="https://evil/p.png"/><!-- c --><text>&nbsp;ok</text></svg>';
    const clean = sanitizeSvg(evil)!;
    expect(clean).toBe('<svg><rect width="2"/><text>ok</text></svg>');
    expect(sanitizeSvg('<div>not svg</div>')).toBeNull();
  });
});

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];
const isElement = (n: Node): n is Element => 'tagName' in n;
function all(n: Node, out: Element[] = []): Element[] {
  if (isElement(n)) out.push(n);
  for (const c of 'childNodes' in n ? n.childNodes : []) all(c as Node, out);
  if (isElement(n) && n.tagName === 'template') all((n as unknown as { content: Node }).content, out);
  return out;
}

describe('exports', () => {
  const board: Board = {
    version: 2,
    items: [
      item({ note: 'workers starve <GPU> & pin "memory"' }),
      item({ id: 'c', kind: 'chart', title: 'Timeline', table: undefined, svg: '<svg viewBox="0 0 4 4"><circle r="2"/><script>x()</script></svg>', source: 'measured', adapter: 'google/swiftshader' }),
    ],
  };
  it('writes self-contained HTML: escaped text, inline sanitised SVG, links back, no external resources', () => {
    const html = boardToHtml(board, { title: 'My <answer>', appBase: 'https://example.org/gpu/index.html?lab=x#y', question: 'Why 40%?', exportedAt: new Date('2026-12-01T00:00:00Z') });
    expect(html).toContain('<title>My &lt;answer&gt;</title>');
    expect(html).toContain('workers starve &lt;GPU&gt; &amp; pin &quot;memory&quot;');
    expect(html).toContain('<svg viewBox="0 0 4 4"><circle r="2"/></svg>');
    expect(html).not.toMatch(/<script|<link|src=|@import/i);
    expect(html).toContain('href="https://example.org/gpu/index.html?lab=dataloader&amp;numWorkers=0&amp;batchSize=64"');
    expect(html).toContain('measured on this device · google/swiftshader');
    expect(html).toContain('simulated (deterministic model)');

    // Parsed back by a spec-compliant HTML parser: no parse errors, and the document holds what it should.
    const errors: string[] = [];
    const doc = parse(html, { onParseError: (e) => errors.push(`${e.code} at ${e.startLine}:${e.startCol}`) });
    expect(errors).toEqual([]);
    const els = all(doc as unknown as Node);
    const tags = (t: string) => els.filter((e) => e.tagName === t);
    expect(tags('section')).toHaveLength(2);
    expect(tags('svg')).toHaveLength(1);
    expect(tags('circle')).toHaveLength(1);
    expect(tags('table')).toHaveLength(1);
    expect(tags('th').map((e) => (e.childNodes[0] as { value?: string })?.value)).toEqual(['workers', 'utilization (%)']);
    // Self-contained: nothing loads or runs from elsewhere.
    expect(tags('script').length + tags('link').length + tags('img').length + tags('iframe').length).toBe(0);
    expect(els.flatMap((e) => e.attrs).filter((a) => a.name === 'src' || (a.name === 'href' && !a.value.startsWith('https://example.org/')))).toEqual([]);
  });
  it('writes Markdown with one PNG per chart and escaped tables', () => {
    const { markdown, images } = boardToMarkdown(board, { title: 'Answer', appBase: 'https://example.org/' });
    expect(images.map((i) => [i.name, i.item.id])).toEqual([['images/item-2.png', 'c']]);
    expect(markdown).toContain('![Timeline](images/item-2.png)');
    expect(markdown).toContain('| workers | utilization (%) |');
    expect(markdown).toContain('| 0 | 28 |');
    expect(markdown).toContain('> workers starve \\<GPU\\> & pin "memory"');
  });
  it('links an item to its lab state', () => {
    expect(itemLink(item({}), 'http://127.0.0.1:5173/?board#x')).toBe('http://127.0.0.1:5173/?lab=dataloader&numWorkers=0&batchSize=64');
  });
});
