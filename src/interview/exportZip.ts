import { strToU8, zipSync } from 'fflate';
import { boardToMarkdown, type Exported, type ExportOptions } from './exportHtml';
import type { Board } from './types';

/** Draws one chart's SVG text as PNG bytes (the browser's canvas in the app); throws when it cannot. */
export type RenderPng = (svg: string) => Promise<Uint8Array>;

/**
 * The Markdown hand-in as a zip: board.md plus images/item-N.png per chart. A chart that fails to
 * draw (an EncodingError from the browser, an unsafe picture) is left out and named in `problems`;
 * every other file is still written, so one bad chart never loses the export.
 */
export async function markdownZip(board: Board, opts: ExportOptions, render: RenderPng): Promise<Exported<Uint8Array>> {
  const { markdown, images } = boardToMarkdown(board, opts);
  const files: Record<string, Uint8Array> = { 'board.md': strToU8(markdown) };
  const problems: string[] = [];
  for (const { name, item } of images) {
    try {
      files[name] = await render(item.svg ?? '');
    } catch (e) {
      const why = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
      problems.push(`Item ${board.items.indexOf(item) + 1} (“${item.title}”): ${name} was left out: ${why}.`);
    }
  }
  return { result: zipSync(files, { level: 6 }), problems };
}
