import { defineModule } from '../contract';
import { meta } from './meta';
import { runTilingLab } from './run';
import { TilingView } from './View';

export default defineModule(meta, { run: runTilingLab, View: TilingView });
