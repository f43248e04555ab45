import type { LabModule } from '../types';
import { runWorkbench } from './run';
import { WorkbenchView } from './View';

const mod: LabModule = { run: runWorkbench, View: WorkbenchView };
export const { run, View } = mod;
