import { strToU8, zipSync } from 'fflate';
import { boardToHtml, boardToMarkdown, type ExportOptions } from '../../interview/exportHtml';
import { sanitizeSvg } from '../../interview/svgSafe';
import type { Board } from '../../interview/types';
import { download } from '../../ui/export';

/** Downloads the board as one self-contained HTML file. */
export function exportHtml(board: Board, opts: ExportOptions): void {
  download('evidence-board.html', new Blob([boardToHtml(board, opts)], { type: 'text/html' }));
}

async function svgToPng(svg: string, scale = 2): Promise<Uint8Array | null> {
  const clean = sanitizeSvg(svg);
  if (!clean) return null;
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(clean)}`;
  await img.decode();
  const w = img.naturalWidth || 640;
  const h = img.naturalHeight || 400;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, w, h);
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
  return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
}

/** Downloads a zip: board.md plus images/item-N.png for every chart, ready for a blog post. */
export async function exportMarkdown(board: Board, opts: ExportOptions): Promise<void> {
  const { markdown, images } = boardToMarkdown(board, opts);
  const files: Record<string, Uint8Array> = { 'board.md': strToU8(markdown) };
  for (const { name, item } of images) {
    const png = item.svg ? await svgToPng(item.svg) : null;
    if (png) files[name] = png;
  }
  download('evidence-board.zip', new Blob([zipSync(files, { level: 6 })], { type: 'application/zip' }));
}
