import { createContext, useContext } from 'react';

/**
 * Inside an embed (embed.html), the address of the same lab state in the full app; null in the app.
 * An embed keeps the lab's main picture, its key controls and a compact result, and links here for
 * the rest (the other charts, the other tables, the explanation), so a blog's iframe stays short.
 */
export const FullLabLink = createContext<string | null>(null);

export function useFullLabLink(): string | null {
  return useContext(FullLabLink);
}
