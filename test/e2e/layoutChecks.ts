import type { Page } from 'playwright-core';

/**
 * The defects a screenshot shows, found by measuring the laid-out page in the browser (issue 31's
 * visual regression checks), shared by the lab screens test and the embed test:
 * - the page scrolls sideways, or an element sticks out of its lab column without a scroll container;
 * - text clipped: a box that hides overflowing content (overflow hidden, no ellipsis meant), or chart
 *   text drawn past the edge of its SVG (an SVG clips what lies outside it);
 * - chart text rendered below MIN_TEXT_PX once the SVG's scaling is applied (a fixed viewBox shrunk
 *   onto a phone), and below 11 px in the hand-drawn diagrams (tile grid, tile schedule, shard grid);
 * - overlapping labels: two text boxes of one chart (tick labels, legend items, annotations) that
 *   intersect, and two items of one HTML legend that do.
 */
export interface Defect {
  what: string;
  where: string;
}

export const MIN_TEXT_PX = 10;

/** Layout defects inside `scope` (a CSS selector, the whole lab by default) as the page is laid out now. */
export function layoutDefects(page: Page, scope = 'main'): Promise<Defect[]> {
  return page.evaluate(
    ({ scope, minPx }) => {
      const out: { what: string; where: string }[] = [];
      const name = (el: Element) => {
        const cls = typeof el.className === 'string' ? el.className : (el.getAttribute('class') ?? '');
        const id = el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? '';
        const text = el.tagName.toLowerCase() === 'text' ? `"${(el.textContent ?? '').slice(0, 30)}"` : '';
        return `${el.tagName.toLowerCase()}${cls ? `.${cls.trim().split(/\s+/).slice(0, 3).join('.')}` : ''}${id ? `[${id.slice(0, 40)}]` : ''}${text}`;
      };
      const visible = (el: Element) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return false;
        const s = getComputedStyle(el);
        return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0;
      };
      // Boxes that share less than this many px each way touch, they do not overlap (glyph boxes include line gaps).
      const SLACK = 2;
      const overlap = (a: DOMRect, b: DOMRect) =>
        Math.min(a.right, b.right) - Math.max(a.left, b.left) > SLACK &&
        Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > SLACK;
      const root = document.querySelector(scope) ?? document.body;
      const doc = document.documentElement;
      if (doc.scrollWidth > window.innerWidth + 1) {
        // Name the innermost elements that reach past the window: those are what to fix.
        const past = [...document.body.querySelectorAll('*')].filter(
          (e) => e.getBoundingClientRect().right > window.innerWidth + 1,
        );
        const innermost = past.filter((e) => !past.some((o) => o !== e && e.contains(o))).slice(0, 3);
        out.push({
          what: `page scrolls sideways (${doc.scrollWidth} px > ${window.innerWidth} px)`,
          where: innermost.map(name).join(', ') || 'document',
        });
      }
      // A scroll container between the element and its column holds it (a results table scrolls in
      // its wrapper on a phone). The column's own scrolling does not count: a picture that only
      // fits by scrolling the whole picture region sideways is cut off as the reader first sees it.
      const scrolls = (el: Element | null, col: Element) => {
        for (let e = el; e && e !== col; e = e.parentElement) {
          const o = getComputedStyle(e).overflowX;
          if (o === 'auto' || o === 'scroll') return true;
        }
        return false;
      };
      const columns = root.querySelectorAll('.lab-main, .lab-controls, .lab-picture, .lab-results, .lab-explain');
      for (const col of columns) {
        const box = col.getBoundingClientRect();
        // A column laid out as display: contents (the phone's reordered lab) has no box of its own.
        if (box.width === 0 && box.height === 0) continue;
        for (const el of col.querySelectorAll('*')) {
          const r = el.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) continue;
          if (r.right > box.right + 2 && !scrolls(el.parentElement, col)) {
            out.push({ what: `sticks out of ${name(col)} by ${Math.round(r.right - box.right)} px`, where: name(el) });
            break;
          }
        }
      }
      // Text cut off by a box that hides its overflow (an ellipsis is a deliberate cut, with the full text elsewhere).
      for (const el of root.querySelectorAll('*')) {
        if (el instanceof SVGElement || !visible(el)) continue;
        const s = getComputedStyle(el);
        const hides = (o: string) => o === 'hidden' || o === 'clip';
        if (s.textOverflow === 'ellipsis' || el.classList.contains('sr-only')) continue;
        if (hides(s.overflowX) && el.scrollWidth > el.clientWidth + 1)
          out.push({
            what: `content cut off on the right (${el.scrollWidth} > ${el.clientWidth} px)`,
            where: name(el),
          });
        else if (hides(s.overflowY) && el.scrollHeight > el.clientHeight + 1 && el.clientHeight > 0)
          out.push({ what: `content cut off below (${el.scrollHeight} > ${el.clientHeight} px)`, where: name(el) });
      }
      // A results table's caption must not run under its export buttons.
      for (const head of root.querySelectorAll('.results-head')) {
        const cap = head.querySelector('.results-caption')?.getBoundingClientRect();
        const act = head.querySelector('.table-actions')?.getBoundingClientRect();
        if (cap && act && overlap(cap, act))
          out.push({ what: 'table caption under its buttons', where: head.textContent?.slice(0, 60) ?? '' });
      }
      for (const svg of root.querySelectorAll('svg')) {
        if (!visible(svg) || svg.closest('button, .sw, .legend-swatch')) continue;
        const frame = svg.getBoundingClientRect();
        const texts = [...svg.querySelectorAll('text')].filter((t) => (t.textContent ?? '').trim() && visible(t));
        const boxes: { t: SVGTextElement; r: DOMRect }[] = [];
        for (const t of texts) {
          const ctm = t.getScreenCTM();
          const scale = ctm ? Math.sqrt(Math.abs(ctm.a * ctm.d - ctm.b * ctm.c)) : 1;
          const px = parseFloat(getComputedStyle(t).fontSize) * scale;
          // The hand-drawn diagrams (not on the chart kit) are held to the issue's 11 px, the rest to 10.
          const floor = t.closest('.tile-grid, .att-grid, .df-shards, .kv-map') ? minPx + 1 : minPx;
          if (px < floor - 0.05) out.push({ what: `chart text at ${px.toFixed(1)} px`, where: name(t) });
          const r = t.getBoundingClientRect();
          const overflowVisible = getComputedStyle(svg).overflow === 'visible';
          if (
            !overflowVisible &&
            (r.left < frame.left - 1 ||
              r.right > frame.right + 1 ||
              r.top < frame.top - 1 ||
              r.bottom > frame.bottom + 1)
          )
            out.push({ what: 'chart text cut off at the edge of its chart', where: name(t) });
          boxes.push({ t, r });
        }
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++)
            if (overlap(boxes[i].r, boxes[j].r))
              out.push({ what: 'chart labels overlap', where: `${name(boxes[i].t)} and ${name(boxes[j].t)}` });
      }
      // HTML legends below the charts: their items side by side, never on top of each other.
      for (const legend of root.querySelectorAll('.legend, .chart-legend')) {
        const items = [...legend.children].filter(visible).map((e) => ({ e, r: e.getBoundingClientRect() }));
        for (let i = 0; i < items.length; i++)
          for (let j = i + 1; j < items.length; j++)
            if (overlap(items[i].r, items[j].r))
              out.push({ what: 'legend items overlap', where: `${name(items[i].e)} and ${name(items[j].e)}` });
      }
      // One defect per kind and place is enough to act on: a 65-label heatmap would otherwise list 2,000 pairs.
      const seen = new Set<string>();
      return out.filter((d) => {
        const k = `${d.what.replace(/[\d.]+/g, '#')}|${d.where.replace(/"[^"]*"/g, '')}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    },
    { scope, minPx: MIN_TEXT_PX },
  );
}
