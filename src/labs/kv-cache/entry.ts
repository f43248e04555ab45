import type { LabModule } from '../types';
import { runKvCacheLab } from './run';
import { KvCacheView } from './View';

const mod: LabModule = { run: runKvCacheLab, View: KvCacheView };
export const { run, View } = mod;
