import type { LabModule } from '../types';
import { runTilingLab } from './run';
import { TilingView } from './View';

const mod: LabModule = { run: runTilingLab, View: TilingView };
export const { run, View } = mod;
