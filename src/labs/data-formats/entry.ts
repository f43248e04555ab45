import { defineModule } from '../../labkit/contract';
import { meta } from './meta';
import { runDataFormats } from './run';
import { DataFormatsView } from './View';

export default defineModule(meta, { run: runDataFormats, View: DataFormatsView });
