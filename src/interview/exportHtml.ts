import { sanitizeSvg } from './svgSafe';
import type { Board, EvidenceItem } from './types';

/**
 * The hand-in: one self-contained HTML file (inline SVG charts, tables, parameters, adapter, a
 * link back to each lab state) that opens with no network. Text is escaped; charts are rebuilt from
 * a whitelist (svgSafe.ts), so a crafted board cannot smuggle script into the file.
 */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export const SOURCE_LABEL: Record<EvidenceItem['source'], string> = {
  measured: 'measured',
  simulated: 'simulated (deterministic model)',
  replayed: 'replayed from a recording',
};

/** Query keys the app reads itself; an item's parameter of that name would redirect its link. */
const RESERVED_KEYS = new Set(['lab', 'scenario', 'step', 'board', 'interview', 'embed']);

/** The item's lab state as a query string: its lab first, then its parameters (never one named like an app key). */
export function itemQuery(item: EvidenceItem): string {
  const q = new URLSearchParams({ lab: item.lab });
  for (const [k, v] of Object.entries(item.params)) if (!RESERVED_KEYS.has(k.toLowerCase())) q.append(k, String(v));
  return q.toString();
}

/** The lab state an item came from, as a link into the app at `appBase` (the page's own URL). */
export function itemLink(item: EvidenceItem, appBase: string): string {
  const u = new URL(appBase);
  u.hash = '';
  u.search = itemQuery(item);
  return u.toString();
}

/**
 * Where an item's numbers come from, in words: measured on which adapter, simulated, or replayed,
 * and when. `shared` (or the item's fromLink): it arrived in a link, so it was not measured here.
 */
export function itemProvenance(item: EvidenceItem, shared = false): string {
  const when = `${item.pinnedAt.slice(0, 16).replace('T', ' ')} UTC`;
  const adapter = item.adapter ?? 'an unnamed adapter';
  const how =
    item.source === 'measured'
      ? `measured on ${adapter}`
      : item.source === 'replayed'
        ? `replayed from a recording made on ${adapter}`
        : SOURCE_LABEL.simulated;
  // Shown in a shared board, or added to this one from a link: either way not measured here.
  const elsewhere =
    shared || item.fromLink
      ? item.source === 'simulated'
        ? ' · stored values from a shared link, not re-run here'
        : ' · from a shared link: measured elsewhere, not on this device'
      : '';
  return `${item.labTitle} · ${how} · ${when}${elsewhere}`;
}

function paramsText(item: EvidenceItem): string {
  return Object.entries(item.params)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
}

function tableHtml(item: EvidenceItem): string {
  if (!item.table) return '';
  const head = item.table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = item.table.rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export interface ExportOptions {
  title: string;
  /** The app's URL, for the links back (e.g. location.href). */
  appBase: string;
  /** The question being answered, when the board belongs to an interview session. */
  question?: string;
  exportedAt?: Date;
}

/** An export and what in it could not be included (named by item), so the page can say so. */
export interface Exported<T> {
  result: T;
  problems: string[];
}

// Every section is its own containing block and paints nothing outside its box (`contain: paint`
// also catches position: fixed), and a chart is clipped to its figure: no item can cover another.
const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d24;background:#fff}
h1{font-size:1.6rem}section{border-top:1px solid #ccd;padding:1rem 0;position:relative;contain:layout paint;overflow:hidden}.meta{color:#555;font-size:.85rem}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:.5rem 0}th,td{border:1px solid #ccd;padding:.2rem .5rem;text-align:right}
th{background:#f2f2f7}figure{margin:.5rem 0;position:relative;contain:layout paint;overflow:hidden}
svg{display:block;max-width:100%;max-height:40rem;height:auto}blockquote{margin:.5rem 0;padding-left:.75rem;border-left:3px solid #8a6ff0;white-space:pre-wrap}`;

export function boardToHtml(board: Board, opts: ExportOptions): Exported<string> {
  const problems: string[] = [];
  const sections = board.items.map((item, i) => {
    let figure = '';
    if (item.svg) {
      let svg: string | null = null;
      let why = 'its picture is not a safe SVG drawing';
      try {
        svg = sanitizeSvg(item.svg, `item${i + 1}-`);
      } catch (e) {
        why = (e as Error).message;
      }
      if (svg) figure = `<figure>${svg}</figure>`;
      else {
        figure = `<p class="meta">The chart could not be included: ${escapeHtml(why)}.</p>`;
        problems.push(`Item ${i + 1} (“${item.title}”): the chart was left out: ${why}.`);
      }
    }
    return `<section id="item-${i + 1}">
<h2>${i + 1}. ${escapeHtml(item.title)}</h2>
<p class="meta">${escapeHtml(itemProvenance(item))}</p>
<p class="meta">Parameters: ${escapeHtml(paramsText(item))} · <a href="${escapeHtml(itemLink(item, opts.appBase))}">open this state in GPU Playground</a></p>
${item.note ? `<blockquote>${escapeHtml(item.note)}</blockquote>` : ''}
${figure}
${tableHtml(item)}
</section>`;
  });
  const when = (opts.exportedAt ?? new Date()).toISOString();
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="GPU Playground evidence board">
<title>${escapeHtml(opts.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(opts.title)}</h1>
${opts.question ? `<p><strong>Question:</strong> ${escapeHtml(opts.question)}</p>` : ''}
<p class="meta">${board.items.length} pinned item${board.items.length === 1 ? '' : 's'}, exported ${escapeHtml(when)}. Each says whether it was measured, simulated or replayed, and on which adapter.</p>
${sections.join('\n')}
</body>
</html>
`;
  return { result: html, problems };
}

/**
 * User text inside one Markdown line: line breaks become spaces, and every character Markdown
 * reads as structure (#, |, >, backticks, emphasis, brackets, HTML) is backslash-escaped, so a
 * title or cell can never open a heading, a table column, a quote or a code span.
 */
export function mdInline(s: string): string {
  return s.replace(/[\r\n\u2028\u2029\v\f]+/g, ' ').replace(/([\\`*_[\]#|<>~])/g, '\\$1');
}

/** A note as a blockquote: its own line breaks kept, every line inside the quote. */
export function mdQuote(s: string): string {
  return (
    s
      .split(/\r\n|[\r\n\u2028\u2029\v\f]/)
      // At the start of a line, - + = and "1." would also make lists, rules or headings.
      .map((line) =>
        line.trim()
          ? `> ${mdInline(line.trimStart())
              .replace(/^([-+=])/, '\\$1')
              .replace(/^(\d+)([.)])/, '$1\\$2')}`
          : '>',
      )
      .join('\n')
  );
}

/** Markdown for a blog post; each chart is an image file `images/<n>.png` written beside it. */
export function boardToMarkdown(
  board: Board,
  opts: ExportOptions,
): { markdown: string; images: { name: string; item: EvidenceItem }[] } {
  const images: { name: string; item: EvidenceItem }[] = [];
  const md = mdInline;
  const out = [`# ${md(opts.title)}`, ''];
  if (opts.question) out.push(`**Question:** ${md(opts.question)}`, '');
  board.items.forEach((item, i) => {
    out.push(
      `## ${i + 1}. ${md(item.title)}`,
      '',
      `*${md(itemProvenance(item))}*`,
      '',
      `Parameters: ${md(paramsText(item))} ([open this state](<${itemLink(item, opts.appBase)}>))`,
      '',
    );
    if (item.note) out.push(mdQuote(item.note), '');
    if (item.svg) {
      const name = `images/item-${i + 1}.png`;
      images.push({ name, item });
      out.push(`![${md(item.title)}](${name})`, '');
    }
    if (item.table) {
      out.push(
        `| ${item.table.columns.map(md).join(' | ')} |`,
        `|${item.table.columns.map(() => ' ---: ').join('|')}|`,
      );
      for (const r of item.table.rows) out.push(`| ${r.map((c) => md(String(c))).join(' | ')} |`);
      out.push('');
    }
  });
  return { markdown: out.join('\n'), images };
}
