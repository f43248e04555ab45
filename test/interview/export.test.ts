import { strFromU8, unzipSync } from 'fflate';
import { JSDOM } from 'jsdom';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import { boardToHtml, boardToMarkdown, itemLink, itemProvenance, mdInline } from '../../src/interview/exportHtml';
import { markdownZip } from '../../src/interview/exportZip';
import { itemSearch } from '../../src/app/interview/share';
import { evaluateRubric, rubricScore, type Observation } from '../../src/interview/rubric';
import { sanitizeSvg, setSvgWindow } from '../../src/interview/svgSafe';
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
    const more = evaluateRubric(rubric, [
      ...items,
      item({ id: 'i3', params: { numWorkers: 4, batchSize: 64 } }),
      item({ id: 'i4', lab: 'memory-wall', kind: 'chart', svg: '<svg/>', params: { size: 1 } }),
    ]);
    expect(rubricScore(more)).toEqual({ met: 3, total: 3 });
  });
});

beforeAll(() => {
  setSvgWindow(new JSDOM('').window as unknown as Window & typeof globalThis);
});

describe('SVG allow-list', () => {
  it('keeps drawing elements and presentation attributes', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g transform="translate(1,1)"><rect width="5" height="5" style="fill:#f80"/><text x="1" y="2">a &lt; b &amp; c</text></g></svg>';
    expect(sanitizeSvg(svg)).toBe(
      '<svg viewBox="0 0 10 10"><g transform="translate(1,1)"><rect width="5" height="5" fill="#f80"></rect><text x="1" y="2">a &lt; b &amp; c</text></g></svg>',
    );
  });
  it('drops scripts, handlers, foreign content, external references and entities', () => {
    const evil =
      '<svg onload="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)"><rect/></a><foreignObject><img src=x onerror=alert(4)></foreignObject>' +
      '<rect fill="url(https://evil/x)" style="background:url(//evil)" width="2"/><use href="#x"/><image href="https://evil/p.png"/><!-- c --><text>&nbsp;ok</text></svg>';
    const clean = sanitizeSvg(evil)!;
    expect(clean).toBe('<svg><rect width="2"></rect><text>\u00a0ok</text></svg>'.replace('\u00a0', '&nbsp;'));
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
      item({
        id: 'c',
        kind: 'chart',
        title: 'Timeline',
        table: undefined,
        svg: '<svg viewBox="0 0 4 4"><circle r="2"/><script>x()</script></svg>',
        source: 'measured',
        adapter: 'google/swiftshader',
      }),
    ],
  };
  it('writes self-contained HTML: escaped text, inline sanitised SVG, links back, no external resources', () => {
    const { result: html, problems } = boardToHtml(board, {
      title: 'My <answer>',
      appBase: 'https://example.org/gpu/index.html?lab=x#y',
      question: 'Why 40%?',
      exportedAt: new Date('2026-12-01T00:00:00Z'),
    });
    expect(html).toContain('<title>My &lt;answer&gt;</title>');
    expect(html).toContain('workers starve &lt;GPU&gt; &amp; pin &quot;memory&quot;');
    expect(problems).toEqual([]);
    expect(html).toContain('<svg viewBox="0 0 4 4"><circle r="2"></circle></svg>');
    expect(html).not.toMatch(/<script|<link|src=|@import/i);
    expect(html).toContain(
      'href="https://example.org/gpu/index.html?lab=dataloader&amp;numWorkers=0&amp;batchSize=64"',
    );
    expect(html).toContain('measured on google/swiftshader · 2026-12-01 12:00 UTC');
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
    expect(tags('th').map((e) => (e.childNodes[0] as { value?: string })?.value)).toEqual([
      'workers',
      'utilization (%)',
    ]);
    // Self-contained: nothing loads or runs from elsewhere.
    expect(tags('script').length + tags('link').length + tags('img').length + tags('iframe').length).toBe(0);
    expect(
      els
        .flatMap((e) => e.attrs)
        .filter((a) => a.name === 'src' || (a.name === 'href' && !a.value.startsWith('https://example.org/'))),
    ).toEqual([]);
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
    expect(itemLink(item({}), 'http://127.0.0.1:5173/?board#x')).toBe(
      'http://127.0.0.1:5173/?lab=dataloader&numWorkers=0&batchSize=64',
    );
  });
  // Issue 24, item 6: a parameter named like an app key redirected Re-run, embed and Markdown links.
  it('never lets a parameter named lab, scenario or board redirect an item’s links', () => {
    const evil = item({ params: { lab: 'attention', scenario: 'x', Board: '1', numWorkers: 2 } });
    expect(itemLink(evil, 'https://example.org/')).toBe('https://example.org/?lab=dataloader&numWorkers=2');
    expect(itemSearch(evil)).toBe('?lab=dataloader&numWorkers=2');
    expect(
      boardToMarkdown({ version: 2, items: [evil] }, { title: 't', appBase: 'https://example.org/' }).markdown,
    ).toContain('(<https://example.org/?lab=dataloader&numWorkers=2>)');
  });
  // Issue 24, item 7: shared items said "measured on this device".
  it('says where an item was measured, and for a shared one that it was not here', () => {
    const measured = item({ source: 'measured', adapter: 'nvidia/ampere' });
    expect(itemProvenance(measured)).toBe('Data pipeline · measured on nvidia/ampere · 2026-12-01 12:00 UTC');
    expect(itemProvenance(measured, true)).toBe(
      'Data pipeline · measured on nvidia/ampere · 2026-12-01 12:00 UTC · from a shared link: measured elsewhere, not on this device',
    );
    expect(itemProvenance(item({}), true)).toMatch(
      /simulated \(deterministic model\) · 2026-12-01 12:00 UTC · stored values from a shared link, not re-run here$/,
    );
    expect(itemProvenance(item({ source: 'replayed', adapter: 'apple/m2' }))).toContain(
      'replayed from a recording made on apple/m2',
    );
  });
});

// Issue 24, item 4: newlines and Markdown characters in user text made headings and broke quotes and tables.
describe('Markdown escaping', () => {
  const hostile = 'Title\n# Forged heading\n> fake quote | col `code` *em* [x](javascript:alert(1)) <b>';
  const board: Board = {
    version: 2,
    items: [
      item({
        title: hostile,
        note: 'line one\n# not a heading\n---\n1. not a list\n\n| not | a table |',
        table: { columns: ['a|b', 'c\n## d'], rows: [['x|y', 'z\n# w']] },
      }),
    ],
  };
  const { markdown } = boardToMarkdown(board, {
    title: 'T\n# Also forged',
    appBase: 'https://example.org/',
    question: 'Q\n> quote',
  });
  const lines = markdown.split('\n');

  it('gives user text no structure: one heading per item, the note all inside its quote, the table its own columns', () => {
    expect(lines.filter((l) => /^#{1,6} /.test(l))).toEqual(['# T \\# Also forged', `## 1. ${mdInline(hostile)}`]);
    expect(mdInline(hostile)).toBe(
      'Title \\# Forged heading \\> fake quote \\| col \\`code\\` \\*em\\* \\[x\\](javascript:alert(1)) \\<b\\>',
    );
    const quote = lines.slice(lines.findIndex((l) => l.startsWith('> line one')));
    expect(quote.slice(0, 6)).toEqual([
      '> line one',
      '> \\# not a heading',
      '> \\---',
      '> 1\\. not a list',
      '>',
      '> \\| not \\| a table \\|',
    ]);
    const rows = lines.filter((l) => l.startsWith('|'));
    expect(rows).toEqual(['| a\\|b | c \\#\\# d |', '| ---: | ---: |', '| x\\|y | z \\# w |']);
    // Every table row has exactly its columns' unescaped pipes.
    for (const r of rows) expect(r.replace(/\\\|/g, '').split('|').length - 2).toBe(2);
  });
});

// Issue 24, item 3: one chart that failed to decode stopped the whole Markdown export, silently.
describe('Markdown + PNG export', () => {
  it('writes every file it can and names the chart that failed', async () => {
    const board: Board = {
      version: 2,
      items: [
        item({ id: 'a', kind: 'chart', title: 'Good chart', svg: '<svg/>', table: undefined }),
        item({ id: 'b', kind: 'chart', title: 'Broken chart', svg: '<svg><broken/></svg>', table: undefined }),
        item({ id: 'c', title: 'A table' }),
      ],
    };
    const render = async (svg: string) => {
      if (svg.includes('broken')) throw new DOMException('The source image cannot be decoded.', 'EncodingError');
      return new Uint8Array([137, 80, 78, 71]);
    };
    const { result, problems } = await markdownZip(board, { title: 'T', appBase: 'https://example.org/' }, render);
    const files = unzipSync(result);
    expect(Object.keys(files).sort()).toEqual(['board.md', 'images/item-1.png']);
    expect(strFromU8(files['board.md'])).toContain('## 3. A table');
    expect(problems).toEqual([
      'Item 2 (“Broken chart”): images/item-2.png was left out: EncodingError: The source image cannot be decoded..',
    ]);
  });
});
