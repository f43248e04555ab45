import { deviceMeta } from './device/meta';
import { memoryWallMeta } from './memory-wall/meta';
import { tilingMeta } from './tiling/meta';
import { attentionMeta } from './attention/meta';
import { kvCacheMeta } from './kv-cache/meta';
import { dataloaderMeta } from './dataloader/meta';
import { workbenchMeta } from './workbench/meta';
import type { LabEntry } from './types';

/**
 * Every lab, in navigation order. Metas are small and eager (the gallery and URL validation need
 * them); `load` pulls the lab's kernels and views on demand, in its own chunk.
 */
export const LABS: LabEntry[] = [
  { ...deviceMeta, load: () => import('./device/entry') },
  { ...memoryWallMeta, load: () => import('./memory-wall/entry') },
  { ...tilingMeta, load: () => import('./tiling/entry') },
  { ...attentionMeta, load: () => import('./attention/entry') },
  { ...kvCacheMeta, load: () => import('./kv-cache/entry') },
  { ...dataloaderMeta, load: () => import('./dataloader/entry') },
  { ...workbenchMeta, load: () => import('./workbench/entry') },
];

export function findLab(id: string | null | undefined): LabEntry | undefined {
  return LABS.find((l) => l.id === id);
}
