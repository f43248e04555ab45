import type { LabModule } from '../types';
import { runAttentionLab } from './run';
import { AttentionView } from './View';

const mod: LabModule = { run: runAttentionLab, View: AttentionView };
export const { run, View } = mod;
