import { sanitizeSvg } from './svgSafe';
import type { Board, EvidenceItem } from './types';

/**
 * The hand-in: one self-contained HTML file (inline SVG charts, tables, parameters, adapter, a
 * link back to each lab state) that opens with no network. Text is escaped; charts are rebuilt from
 * a whitelist (svgSafe.ts), so a crafted board cannot smuggle script into the file.
 */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export const SOURCE_LABEL: Record<EvidenceItem['source'], string> = {
  measured: 'measured on this device',
  simulated: 'simulated (deterministic model)',
  replayed: 'replayed from a recording',
};

/** The lab state an item came from, as a link into the app at `appBase` (the page's own URL). */
export function itemLink(item: EvidenceItem, appBase: string): string {
  const u = new URL(appBase);
  u.hash = '';
  u.search = new URLSearchParams({ lab: item.lab, ...Object.fromEntries(Object.entries(item.params).map(([k, v]) => [k, String(v)])) }).toString();
  return u.toString();
}

export function itemProvenance(item: EvidenceItem): string {
  const when = item.pinnedAt.slice(0, 16).replace('T', ' ');
  return `${item.labTitle} · ${SOURCE_LABEL[item.source]}${item.adapter ? ` · ${item.adapter}` : ''} · ${when} UTC`;
}

function paramsText(item: EvidenceItem): string {
  return Object.entries(item.params)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
}

function tableHtml(item: EvidenceItem): string {
  if (!item.table) return '';
  const head = item.table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = item.table.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`).join('\n');
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

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d24;background:#fff}
h1{font-size:1.6rem}section{border-top:1px solid #ccd;padding:1rem 0}.meta{color:#555;font-size:.85rem}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:.5rem 0}th,td{border:1px solid #ccd;padding:.2rem .5rem;text-align:right}
th{background:#f2f2f7}svg{max-width:100%;height:auto}blockquote{margin:.5rem 0;padding-left:.75rem;border-left:3px solid #8a6ff0}`;

export function boardToHtml(board: Board, opts: ExportOptions): string {
  const sections = board.items.map((item, i) => {
    const svg = item.svg ? sanitizeSvg(item.svg) : null;
    return `<section id="item-${i + 1}">
<h2>${i + 1}. ${escapeHtml(item.title)}</h2>
<p class="meta">${escapeHtml(itemProvenance(item))}</p>
<p class="meta">Parameters: ${escapeHtml(paramsText(item))} · <a href="${escapeHtml(itemLink(item, opts.appBase))}">open this state in GPU Playground</a></p>
${item.note ? `<blockquote>${escapeHtml(item.note)}</blockquote>` : ''}
${svg ? `<figure>${svg}</figure>` : ''}
${tableHtml(item)}
</section>`;
  });
  const when = (opts.exportedAt ?? new Date()).toISOString();
  return `<!doctype html>
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
}

/** Markdown for a blog post; each chart is an image file `images/<n>.png` written beside it. */
export function boardToMarkdown(board: Board, opts: ExportOptions): { markdown: string; images: { name: string; item: EvidenceItem }[] } {
  const images: { name: string; item: EvidenceItem }[] = [];
  const md = (s: string) => s.replace(/([\\`*_[\]|<>])/g, '\\$1');
  const out = [`# ${md(opts.title)}`, ''];
  if (opts.question) out.push(`**Question:** ${md(opts.question)}`, '');
  board.items.forEach((item, i) => {
    out.push(`## ${i + 1}. ${md(item.title)}`, '', `*${md(itemProvenance(item))}*`, '', `Parameters: ${md(paramsText(item))} ([open this state](${itemLink(item, opts.appBase)}))`, '');
    if (item.note) out.push(`> ${md(item.note)}`, '');
    if (item.svg) {
      const name = `images/item-${i + 1}.png`;
      images.push({ name, item });
      out.push(`![${md(item.title)}](${name})`, '');
    }
    if (item.table) {
      out.push(`| ${item.table.columns.map(md).join(' | ')} |`, `|${item.table.columns.map(() => ' ---: ').join('|')}|`);
      for (const r of item.table.rows) out.push(`| ${r.map((c) => md(String(c))).join(' | ')} |`);
      out.push('');
    }
  });
  return { markdown: out.join('\n'), images };
}
