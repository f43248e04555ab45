import { defineModule } from '../../labkit/contract';
import { meta } from './meta';
import { runServe } from './run';
import { servedCost } from './servedCost';
import { ServeView } from './View';

export default defineModule(meta, { run: runServe, View: ServeView, measuredModel: servedCost });
