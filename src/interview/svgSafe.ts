/**
 * Charts on a board are SVG text: our own serialised charts, but a shared link can carry anything.
 * Before SVG text is inlined (HTML export, presenter) it is rebuilt from a whitelist: drawing
 * elements and presentation attributes only, no scripts, handlers, styles sheets, foreign content
 * or external references. Anything unexpected is dropped, not escaped into view.
 */
const ELEMENTS = new Set([
  'svg', 'g', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'tspan', 'title', 'desc', 'defs', 'clippath',
  'lineargradient', 'radialgradient', 'stop', 'marker', 'pattern', 'mask',
]);
const ATTRIBUTES = new Set([
  'viewbox', 'width', 'height', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'd', 'points', 'transform', 'fill', 'stroke',
  'stroke-width', 'stroke-dasharray', 'stroke-linecap', 'stroke-linejoin', 'opacity', 'fill-opacity', 'stroke-opacity', 'font-size',
  'font-family', 'font-weight', 'text-anchor', 'dominant-baseline', 'dx', 'dy', 'class', 'id', 'style', 'offset', 'stop-color',
  'clip-path', 'marker-end', 'marker-start', 'markerwidth', 'markerheight', 'refx', 'refy', 'orient', 'preserveaspectratio', 'role',
  'aria-label', 'xmlns', 'gradientunits', 'patternunits', 'mask',
]);

const ENTITY = /&(?:[a-z]+|#\d+|#x[0-9a-f]+);/gi;

function cleanValue(name: string, value: string): string | null {
  const v = value.replace(ENTITY, (e) => (/^&(amp|lt|gt|quot|#39|apos);$/i.test(e) ? e : ''));
  // url(...) may only point inside the document (#id); style may not load or run anything.
  if (/url\s*\(\s*['"]?(?!#)/i.test(v) || /expression\s*\(|javascript:|@import/i.test(v)) return null;
  if (name === 'xmlns' && v !== 'http://www.w3.org/2000/svg') return null;
  return v.replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function sanitizeSvg(svg: string): string | null {
  const text = svg.trim();
  if (!/^<svg[\s>]/i.test(text)) return null;
  const out: string[] = [];
  const open: string[] = [];
  // Tokens: comments/CDATA/processing instructions (dropped), tags, and text between them.
  const re = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[?!][^>]*>|<\/\s*([a-zA-Z][\w:-]*)\s*>|<([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(\/?)>|([^<]+)|</g;
  let skipDepth = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [, close, name, attrs, selfClose, body] = m;
    if (close !== undefined) {
      const n = close.toLowerCase();
      if (skipDepth) {
        // Inside dropped content, a close tag ends the innermost open element of that name (an
        // unclosed <img> inside <foreignObject> must not keep everything after it dropped).
        const at = Math.max(open.lastIndexOf(`!${n}`), open.lastIndexOf(n));
        if (at >= 0) open.length = at;
        skipDepth = open.filter((o) => o.startsWith('!')).length;
        continue;
      }
      if (open.length && open[open.length - 1] === n) {
        open.pop();
        out.push(`</${n === 'clippath' ? 'clipPath' : close}>`);
      }
    } else if (name !== undefined) {
      const n = name.toLowerCase();
      if (skipDepth || !ELEMENTS.has(n)) {
        // An unknown element is dropped with everything inside it (script, foreignObject, style, a).
        if (!selfClose) {
          open.push(`!${n}`);
          skipDepth++;
        }
        continue;
      }
      const kept: string[] = [];
      const attrRe = /([^\s=>/]+)(?:\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
      for (let a = attrRe.exec(attrs ?? ''); a; a = attrRe.exec(attrs ?? '')) {
        const an = a[1].toLowerCase();
        if (!ATTRIBUTES.has(an)) continue;
        const value = cleanValue(an, a[3] ?? a[4] ?? a[5] ?? '');
        if (value !== null) kept.push(`${a[1]}="${value}"`);
      }
      out.push(`<${name}${kept.length ? ` ${kept.join(' ')}` : ''}${selfClose ? '/' : ''}>`);
      if (!selfClose) open.push(n);
    } else if (body !== undefined) {
      if (!skipDepth) out.push(body.replace(ENTITY, (e) => (/^&(amp|lt|gt|quot|#39|apos|#\d+|#x[0-9a-f]+);$/i.test(e) ? e : '')).replace(/>/g, '&gt;'));
    } else if (m[0] === '<' && !skipDepth) out.push('&lt;');
  }
  while (open.length) {
    const n = open.pop()!;
    if (!n.startsWith('!')) out.push(`</${n}>`);
  }
  const result = out.join('');
  return /^<svg[\s>]/i.test(result) ? result : null;
}
