import type { LabModule } from '../types';
import { runDeviceLab } from './run';
import { DeviceView } from './View';

const mod: LabModule = { run: runDeviceLab, View: DeviceView };
export const { run, View } = mod;
