import { encodeBoard } from '../../interview/share';
import type { Board, EvidenceItem } from '../../interview/types';
import { itemQuery } from '../../interview/exportHtml';
import { appUrl } from '../links';

/** The link that reproduces a board: the board page with the board in the fragment. */
export function boardLink(board: Board): { url: string; chartsDropped: boolean } {
  const { fragment, chartsDropped } = encodeBoard(board);
  return { url: `${appUrl('?board')}#${fragment}`, chartsDropped };
}

/** The query string of the lab state an item came from (for links and embed snippets). */
export function itemSearch(item: EvidenceItem): string {
  return `?${itemQuery(item)}`;
}
