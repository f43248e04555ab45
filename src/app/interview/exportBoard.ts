import { boardToHtml, type ExportOptions } from '../../interview/exportHtml';
import { markdownZip } from '../../interview/exportZip';
import { sanitizeSvgImage } from '../../interview/svgSafe';
import type { Board } from '../../interview/types';
import { download } from '../../ui/export';

/**
 * Downloads of the board. Each returns what it could not include, named by item, so the page can
 * say so: one broken chart never stops the rest of the hand-in (nor fails silently).
 */
export function exportHtml(board: Board, opts: ExportOptions): string[] {
  const { result, problems } = boardToHtml(board, opts);
  download('evidence-board.html', new Blob([result], { type: 'text/html' }));
  return problems;
}

async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const clean = sanitizeSvgImage(svg);
  if (!clean) throw new Error('its picture is not a safe SVG drawing');
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(clean)}`;
  try {
    await img.decode();
  } catch (e) {
    throw new Error(`the browser could not draw its picture (${(e as Error).name})`, { cause: e });
  }
  const w = img.naturalWidth || 640;
  const h = img.naturalHeight || 400;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gave no canvas to draw it on');
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, w, h);
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
  if (!blob) throw new Error('the browser could not encode it as PNG');
  return new Uint8Array(await blob.arrayBuffer());
}

/** Downloads a zip: board.md plus images/item-N.png for every chart that could be drawn. */
export async function exportMarkdown(board: Board, opts: ExportOptions): Promise<string[]> {
  const { result, problems } = await markdownZip(board, opts, svgToPng);
  download('evidence-board.zip', new Blob([result as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
  return problems;
}
