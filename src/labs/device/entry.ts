import { defineModule } from '../contract';
import { meta } from './meta';
import { runDeviceLab } from './run';
import { DeviceView } from './View';

export default defineModule(meta, { run: runDeviceLab, View: DeviceView });
