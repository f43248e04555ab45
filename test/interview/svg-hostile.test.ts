import { JSDOM } from 'jsdom';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import { boardToHtml } from '../../src/interview/exportHtml';
import { sanitizeSvg, sanitizeSvgImage, setSvgWindow } from '../../src/interview/svgSafe';
import type { Board, EvidenceItem } from '../../src/interview/types';

/**
 * A shared board can carry any SVG text, and "Add to my board" carries it into the candidate's
 * hand-in. Every chart below is hostile; each is exported between two of the candidate's own
 * notes, and the HTML is parsed back with parse5 (the HTML standard's parser): every item must be
 * there, in order, unchanged, nothing may run or load, and no chart may be placed outside its box.
 */
const CORPUS: [string, string][] = [
  // The two forgeries found: markup inside <desc>/<title> that used to swallow the closing tags…
  [
    'desc with markup',
    '<svg viewBox="0 0 10 10"><desc>a <b>bold</b> <div>block</desc><rect width="5" height="5"/></svg>',
  ],
  ['title with markup', '<svg><title><p>t</p></title></svg><h2>99. Forged item</h2>'],
  ['unclosed desc', '<svg><desc><table><tr><td>x'],
  // …and positioning through style, which could cover the whole page.
  [
    'fixed overlay',
    '<svg style="position:fixed;inset:0;z-index:99;background:#fff" width="100%"><text x="10" y="20" style="font-size:40px;fill:red">Forged conclusion</text></svg>',
  ],
  [
    'class and style on children',
    '<svg><g class="meta" style="position:absolute;top:-500px;transform:scale(99)"><rect width="1" height="1"/></g></svg>',
  ],
  // Script in every spelling.
  ['script', '<svg onload="alert(1)"><script>alert(2)</script><rect/></svg>'],
  [
    'handler attributes',
    '<svg><rect onclick="alert(1)" onmouseover=alert(2) width="1"/><text onfocus="alert(3)">t</text></svg>',
  ],
  [
    'javascript links',
    '<svg><a href="javascript:alert(1)"><text>x</text></a><a xlink:href="javascript:alert(1)"><rect/></a></svg>',
  ],
  [
    'animation sets href',
    '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>click</text></a><set attributeName="onmouseover" to="alert(1)"/></svg>',
  ],
  [
    'use and image',
    '<svg><use href="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+#x"/><image href="https://evil.example/p.png"/></svg>',
  ],
  [
    'foreignObject HTML',
    '<svg><foreignObject width="100" height="100"><div style="position:fixed;inset:0">forged</div><img src=x onerror=alert(1)></foreignObject></svg>',
  ],
  ['style element', '<svg><style>@import url(https://evil.example/x.css); body{display:none}</style><rect/></svg>'],
  [
    'external paint',
    '<svg><rect fill="url(https://evil.example/x#p)" style="fill:url(//evil.example/y)" width="2"/><rect filter="url(https://evil.example/f)"/></svg>',
  ],
  // Mutation XSS and namespace confusion: markup that re-parses differently after serialisation.
  ['style in svg breakout', '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">'],
  ['noscript breakout', '<svg><noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript></svg>'],
  ['CDATA breakout', '<svg><![CDATA[</svg><img src=x onerror=alert(1)>]]><rect/></svg>'],
  ['comment breakout', '<svg><!--</svg><img src=x onerror=alert(1)>--><rect/></svg>'],
  ['title CDATA breakout', '<svg><title><![CDATA[</title><img src onerror=alert(1)>]]></title></svg>'],
  [
    'math in desc',
    '<svg><desc><math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(1) src=1>"></path></textarea></mtext></svg></mglyph></mi></math></desc></svg>',
  ],
  ['xhtml namespace', '<svg xmlns="http://www.w3.org/1999/xhtml"><img src=x onerror=alert(1)><rect/></svg>'],
  [
    'nested svg in desc',
    '<svg><desc><svg style="position:fixed"><foreignObject><iframe src="javascript:alert(1)"></iframe></foreignObject></svg></desc></svg>',
  ],
  ['trailing html', '<svg><rect/></svg><img src=x onerror=alert(1)><section><h2>forged</h2></section>'],
  [
    'entities and quotes',
    '<svg><text font-family="x&quot;);}body{display:none}" aria-label="&lt;script&gt;">&nbsp;a &lt; b &amp;amp; c</text></svg>',
  ],
  [
    'huge canvas',
    '<svg width="100000" height="100000" viewBox="-50000 -50000 100000 100000"><rect x="-50000" y="-50000" width="100000" height="100000" fill="#fff"/></svg>',
  ],
  [
    'id collision (defines)',
    '<svg><defs><pattern id="grad" width="10" height="10"><text>forged</text></pattern></defs></svg>',
  ],
  [
    'id collision (uses)',
    '<svg><defs><linearGradient id="grad"><stop offset="0" stop-color="#f80"/></linearGradient></defs><rect fill="url(#grad)" width="10" height="10"/></svg>',
  ],
  ['not svg at all', '<div onclick="alert(1)">not a chart</div>'],
];

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];
const isElement = (n: Node): n is Element => 'tagName' in n;
function all(n: Node, out: Element[] = []): Element[] {
  if (isElement(n)) out.push(n);
  for (const c of 'childNodes' in n ? n.childNodes : []) all(c as Node, out);
  return out;
}
function text(n: Node): string {
  if (n.nodeName === '#text') return (n as { value: string }).value;
  return ('childNodes' in n ? n.childNodes : []).map((c) => text(c as Node)).join('');
}
const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value;

const base: Omit<EvidenceItem, 'id' | 'title'> = {
  lab: 'memory-wall',
  labTitle: 'Memory wall',
  params: { size: 65536 },
  kind: 'chart',
  adapter: 'attacker/gpu',
  source: 'measured',
  pinnedAt: '2026-12-01T12:00:00.000Z',
};
const note = (id: string, words: string): EvidenceItem => ({
  ...base,
  id,
  kind: 'table',
  title: `My table ${id}`,
  source: 'simulated',
  adapter: null,
  table: { columns: ['x'], rows: [[1]] },
  note: words,
});

beforeAll(() => {
  setSvgWindow(new JSDOM('').window as unknown as Window & typeof globalThis);
});

describe('hostile SVG through the HTML hand-in', () => {
  const items: EvidenceItem[] = [
    note('mine-1', 'My first note: the fused kernel moves 3× fewer bytes.'),
    ...CORPUS.map(([name, svg], i) => ({ ...base, id: `evil-${i}`, title: `Chart ${name}`, svg })),
    note('mine-2', 'My last note.\nIt must survive whatever came before.'),
  ];
  const board: Board = { version: 2, items };
  let html = '';
  let problems: string[] = [];
  const errors: string[] = [];
  let els: Element[] = [];
  let body: Element;
  beforeAll(() => {
    ({ result: html, problems } = boardToHtml(board, {
      title: 'Hand-in',
      appBase: 'https://example.org/',
      exportedAt: new Date('2026-12-02T00:00:00Z'),
    }));
    const doc = parse(html, { onParseError: (e) => errors.push(`${e.code} at ${e.startLine}:${e.startCol}`) });
    els = all(doc as unknown as Node);
    body = els.find((e) => e.tagName === 'body')!;
  });

  it('parses without errors and keeps every item, in order, with its title and the notes unchanged', () => {
    expect(errors).toEqual([]);
    const sections = body.childNodes.filter(
      (n): n is Element => isElement(n as Node) && (n as Element).tagName === 'section',
    );
    expect(sections).toHaveLength(items.length);
    expect(sections.map((s) => text(all(s).find((e) => e.tagName === 'h2')!))).toEqual(
      items.map((it, i) => `${i + 1}. ${it.title}`),
    );
    expect(sections.map((s) => attr(s, 'id'))).toEqual(items.map((_, i) => `item-${i + 1}`));
    const quotes = els.filter((e) => e.tagName === 'blockquote').map(text);
    expect(quotes).toEqual([
      'My first note: the fused kernel moves 3× fewer bytes.',
      'My last note.\nIt must survive whatever came before.',
    ]);
    // Nothing but the page's own parts sits directly in the body: no smuggled headings or sections.
    expect(body.childNodes.filter((n) => isElement(n as Node)).map((n) => (n as Element).tagName)).toEqual([
      'h1',
      'p',
      ...items.map(() => 'section'),
    ]);
  });

  it('runs and loads nothing, and positions nothing: no style or class in any chart', () => {
    const tags = new Set(els.map((e) => e.tagName));
    for (const t of [
      'script',
      'img',
      'iframe',
      'foreignObject',
      'use',
      'image',
      'animate',
      'set',
      'a',
      'noscript',
      'textarea',
      'math',
      'div',
    ])
      expect(
        t === 'a'
          ? els.filter((e) => e.tagName === 'a' && !attr(e, 'href')?.startsWith('https://example.org/')).length
          : tags.has(t)
            ? t
            : 0,
      ).toBe(0);
    expect(els.filter((e) => e.tagName === 'style')).toHaveLength(1); // the page's own, in <head>
    const svgs = els.filter((e) => e.tagName === 'svg');
    // Most of the corpus still draws (its safe parts); only what is not a chart at all is left out.
    expect(svgs.length).toBeGreaterThanOrEqual(CORPUS.length - 3);
    expect(els.filter((e) => e.tagName === 'rect').length).toBeGreaterThanOrEqual(10);
    for (const svg of svgs) {
      for (const e of all(svg)) {
        expect(e.namespaceURI, `${e.tagName} inside a chart`).toBe('http://www.w3.org/2000/svg');
        expect(
          e.attrs
            .map((a) => a.name)
            .filter((n) => n === 'style' || n === 'class' || n.startsWith('on') || n.includes('href')),
        ).toEqual([]);
        for (const a of e.attrs)
          expect(a.value, `${e.tagName} ${a.name}`).not.toMatch(/url\(\s*(?!#)|javascript:|expression\(/i);
      }
    }
    expect(els.flatMap((e) => e.attrs).filter((a) => a.name === 'style' || a.name === 'src')).toEqual([]);
    // Hostile text may survive as visible, escaped text inside a chart (a CDATA section is text), never as markup.
    expect(
      html.match(/<(img|script|iframe|foreignObject|style(?!>body))\b|position:\s*fixed|evil\.example/i)?.[0],
    ).toBeUndefined();
    expect(html).not.toMatch(/<(img|script|iframe|foreignObject|style(?!>body))\b|position:\s*fixed|evil\.example/i);
  });

  it('keeps every chart inside its own section and figure, and its ids to itself', () => {
    const sections = els.filter((e) => e.tagName === 'section');
    sections.forEach((s, i) => {
      const inside = all(s);
      for (const svg of inside.filter(
        (e) => e.tagName === 'svg' && e.parentNode && (e.parentNode as Element).tagName === 'figure',
      ))
        for (const e of all(svg)) {
          const id = attr(e, 'id');
          if (id) expect(id.startsWith(`item${i + 1}-`)).toBe(true);
          for (const a of e.attrs)
            for (const m of a.value.matchAll(/url\(#([^)]+)\)/g)) expect(m[1].startsWith(`item${i + 1}-`)).toBe(true);
        }
      // Every chart's root sits in a figure of this section.
      for (const svg of inside.filter(
        (e) =>
          e.tagName === 'svg' && all(s).includes(e) && !(e.parentNode as Element).tagName.match(/figure|desc|title/),
      ))
        expect.fail(`chart outside its figure in section ${i + 1}: ${(svg.parentNode as Element).tagName}`);
    });
    // The page's CSS makes each section and figure a paint-contained box (fixed cannot escape).
    const css = text(els.find((e) => e.tagName === 'style')!);
    expect(css).toMatch(/section\{[^}]*contain:layout paint[^}]*overflow:hidden/);
    expect(css).toMatch(/figure\{[^}]*contain:layout paint[^}]*overflow:hidden/);
  });

  it('draws the safe parts and says which charts were left out', () => {
    const sections = els.filter((e) => e.tagName === 'section');
    const figureCount = (name: string) =>
      all(sections[items.findIndex((i) => i.title === `Chart ${name}`)]).filter((e) => e.tagName === 'figure').length;
    expect(figureCount('desc with markup')).toBe(1);
    expect(figureCount('id collision (uses)')).toBe(1);
    expect(figureCount('not svg at all')).toBe(0);
    expect(problems.some((p) => /“Chart not svg at all”/.test(p))).toBe(true);
    // A left-out chart says so in its own section, not silently.
    expect(text(sections[items.findIndex((i) => i.title === 'Chart not svg at all')])).toMatch(
      /chart could not be included/,
    );
  });
});

describe('the sanitizer itself', () => {
  it('keeps a chart as our own export writes it: style becomes presentation attributes', () => {
    const ours =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10"><rect width="100%" height="100%" fill="rgb(255, 255, 255)"/><g transform="translate(1,1)"><rect width="5" height="5" style="fill:rgb(255, 136, 0);stroke:none;font-family:system-ui, sans-serif"/><text x="1" y="2">a &lt; b &amp; c</text></g></svg>';
    expect(sanitizeSvg(ours)).toBe(
      '<svg viewBox="0 0 10 10" width="10" height="10"><rect width="100%" height="100%" fill="rgb(255, 255, 255)"></rect><g transform="translate(1,1)"><rect width="5" height="5" fill="rgb(255, 136, 0)" stroke="none" font-family="system-ui, sans-serif"></rect><text x="1" y="2">a &lt; b &amp; c</text></g></svg>',
    );
    // As an image: XML with the SVG namespace, so a data: URL decodes.
    expect(sanitizeSvgImage(ours)).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 10 10"/);
  });
  it('is stable: its output sanitizes to itself, for every case of the corpus', () => {
    for (const [name, svg] of CORPUS) {
      const once = sanitizeSvg(svg);
      if (once !== null) expect(sanitizeSvg(once), name).toBe(once);
    }
  });
});
