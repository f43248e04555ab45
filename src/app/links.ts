/**
 * The two faces of one state: the full app (index.html) and the embeddable widget (embed.html)
 * take the same query string, so a link and an embed of the same view differ only in the path.
 */
function base(): URL {
  const u = new URL(window.location.href);
  u.hash = '';
  u.pathname = u.pathname.replace(/(embed|index)\.html$/, '');
  return u;
}

export function appUrl(search = window.location.search): string {
  const u = base();
  u.search = search;
  return u.toString();
}

export function embedUrl(search = window.location.search): string {
  const u = base();
  u.pathname += 'embed.html';
  u.search = search;
  return u.toString();
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The iframe a blogger pastes, plus the few lines that let it size itself: the widget posts
 * { type: 'gpu-playground:height', height } to its parent; the page checks the sender's origin.
 */
export function embedSnippet(title: string, search = window.location.search): string {
  const src = embedUrl(search);
  const origin = new URL(src).origin;
  return [
    `<iframe src="${escapeAttr(src)}" title="${escapeAttr(title)}" width="100%" height="560" style="border:0;max-width:100%" loading="lazy"></iframe>`,
    '<script>',
    "addEventListener('message', (e) => {",
    `  if (e.origin !== '${origin}' || e.data?.type !== 'gpu-playground:height') return;`,
    "  for (const f of document.querySelectorAll('iframe')) if (f.contentWindow === e.source) f.style.height = `${Math.ceil(e.data.height)}px`;",
    '});',
    '</script>',
  ].join('\n');
}
