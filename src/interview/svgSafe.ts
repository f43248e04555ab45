import createDOMPurify, { type Config, type DOMPurify } from 'dompurify';

/**
 * Charts on a board are SVG text: our own serialised charts, but a shared link can carry anything,
 * and a chart is inlined into the HTML hand-in beside the candidate's own notes. So a chart goes
 * through DOMPurify (a maintained allow-list sanitizer that parses with the same HTML parser the
 * hand-in is read with) and is then serialised from the parsed DOM, never patched as text:
 *  - only drawing elements and presentation attributes survive (no script, handlers, links,
 *    foreign content, <style>, <use>, <image>, animation);
 *  - `style` is not kept: its drawing properties (fill, stroke, fonts...) become presentation
 *    attributes, everything else (position, inset, display...) is dropped; `class` is dropped;
 *  - ids and the url(#id) references to them are prefixed per item, so one chart cannot restyle
 *    another by defining an id the other uses;
 *  - the result must come back unchanged from a second pass (no mutation-XSS drift) and must be
 *    exactly one <svg> element, or the chart is refused.
 * DOMPurify needs a DOM: the browser's window, or (Node tests) one given to setSvgWindow.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

const TAGS = [
  'svg',
  'g',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'title',
  'desc',
  'defs',
  'clippath',
  'lineargradient',
  'radialgradient',
  'stop',
  'marker',
  'pattern',
  'mask',
  '#text',
];

/** Presentation properties a chart may set; the same names are valid as attributes and in style. */
const PAINT = [
  'fill',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'fill-opacity',
  'stroke-opacity',
  'font-size',
  'font-family',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'stop-color',
  'stop-opacity',
];

const ATTRS = [
  ...PAINT,
  'viewbox',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'd',
  'points',
  'transform',
  'dx',
  'dy',
  'id',
  'style',
  'offset',
  'clip-path',
  'marker-end',
  'marker-start',
  'markerwidth',
  'markerheight',
  'refx',
  'refy',
  'orient',
  'preserveaspectratio',
  'role',
  'aria-label',
  'gradientunits',
  'patternunits',
  'mask',
];

const CONFIG: Config = {
  ALLOWED_TAGS: TAGS,
  ALLOWED_ATTR: ATTRS,
  ALLOWED_NAMESPACES: [SVG_NS, 'http://www.w3.org/1999/xhtml'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  // Comments, processing instructions and CDATA have no place in a chart.
  SAFE_FOR_XML: true,
  KEEP_CONTENT: false,
  RETURN_DOM_FRAGMENT: true,
};

/** A property value a chart may use: colours, numbers, lengths, font lists, url(#local-id). */
const SAFE_VALUE = /^(?:[#\w\s.,%'"+-]|url\(\s*#[\w.-]+\s*\)|(?:rgba?|hsla?)\([\d\s.,%/+-]*\))*$/;

let purify: DOMPurify | null = null;
let serializer: { serializeToString(n: Node): string } | null = null;

/** Gives the sanitizer a DOM to work in (Node tests: a jsdom window). The browser needs no call. */
export function setSvgWindow(win: Window & typeof globalThis): void {
  purify = createDOMPurify(win);
  serializer = new win.XMLSerializer();
}

function purifier(): DOMPurify {
  if (!purify && typeof window !== 'undefined') setSvgWindow(window);
  if (!purify?.isSupported) throw new Error('SVG charts cannot be checked here: no DOM to sanitize them in.');
  return purify;
}

/** Style declarations → presentation attributes, for the drawing properties only; the rest is dropped. */
function styleToAttributes(el: Element): void {
  const style = el.getAttribute('style');
  if (style === null) return;
  el.removeAttribute('style');
  for (const decl of style.split(';')) {
    const at = decl.indexOf(':');
    if (at < 0) continue;
    const prop = decl.slice(0, at).trim().toLowerCase();
    const value = decl
      .slice(at + 1)
      .replace(/!important/i, '')
      .trim();
    if (PAINT.includes(prop) && value && SAFE_VALUE.test(value)) el.setAttribute(prop, value);
  }
}

function scopeIds(el: Element, prefix: string): void {
  if (!prefix) return;
  const id = el.getAttribute('id');
  if (id) el.setAttribute('id', `${prefix}${id}`);
  for (const a of Array.from(el.attributes)) {
    if (a.name === 'id') continue;
    if (/url\(\s*#/.test(a.value))
      el.setAttribute(
        a.name,
        a.value.replace(/url\(\s*#([\w.-]+)\s*\)/g, (_m, ref: string) => `url(#${prefix}${ref})`),
      );
  }
}

function clean(el: Element, prefix: string): void {
  styleToAttributes(el);
  el.removeAttribute('class');
  // Whatever DOMPurify let through, a value may still point outside the document or run code.
  for (const a of Array.from(el.attributes))
    if (!SAFE_VALUE.test(a.value) && !['d', 'points', 'transform', 'viewBox', 'aria-label'].includes(a.name))
      el.removeAttribute(a.name);
  // HTML serialisation leaves < and > raw inside attribute values; no chart attribute needs them.
  for (const a of Array.from(el.attributes))
    if (/url\(\s*(?!#)|javascript:|expression\s*\(|[<>]/i.test(a.value)) el.removeAttribute(a.name);
  scopeIds(el, prefix);
}

/** One pass: sanitize, clean every element, and return the single <svg> root (or null). */
function pass(svg: string, prefix: string): Element | null {
  const text = svg.trim();
  if (!/^<svg[\s>/]/i.test(text)) return null;
  const frag = purifier().sanitize(text, CONFIG) as unknown as DocumentFragment;
  const roots = Array.from(frag.childNodes).filter((n) => n.nodeType !== 3 || (n.textContent ?? '').trim() !== '');
  const root = roots[0] as Element | undefined;
  if (roots.length !== 1 || root?.nodeType !== 1 || root.namespaceURI !== SVG_NS || root.localName !== 'svg')
    return null;
  clean(root, prefix);
  root.querySelectorAll('*').forEach((el) => clean(el, prefix));
  return root;
}

function checked(svg: string, prefix: string): Element | null {
  const root = pass(svg, prefix);
  if (!root) return null;
  // A second pass over our own output must change nothing: markup that re-parses differently
  // (mutation XSS, namespace confusion) is refused rather than trusted.
  const again = pass(root.outerHTML, '');
  return again && again.outerHTML === root.outerHTML ? root : null;
}

/**
 * The chart as HTML markup to inline into a page (the hand-in), or null when it is not a safe SVG.
 * `idPrefix` keeps its ids apart from other charts' in the same document.
 */
export function sanitizeSvg(svg: string, idPrefix = ''): string | null {
  return checked(svg, idPrefix)?.outerHTML ?? null;
}

/** The chart as standalone SVG (XML, with its namespace), for an <img> or a PNG; null when unsafe. */
export function sanitizeSvgImage(svg: string): string | null {
  const root = checked(svg, '');
  if (!root) return null;
  purifier();
  return serializer!.serializeToString(root);
}
