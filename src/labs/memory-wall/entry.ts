import type { LabModule } from '../types';
import { runMemoryWall } from './run';
import { MemoryWallView } from './View';

const mod: LabModule = { run: runMemoryWall, View: MemoryWallView };
export const { run, View } = mod;
