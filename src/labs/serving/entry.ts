import { defineModule } from '../../labkit/contract';
import { meta } from './meta';
import { runServingLab } from './run';
import { ServingView } from './View';

export default defineModule(meta, { run: runServingLab, View: ServingView });
