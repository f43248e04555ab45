import { defineModule } from '../../labkit/contract';
import { meta } from './meta';
import { runTrain } from './run';
import { TrainView } from './View';

export default defineModule(meta, { run: runTrain, View: TrainView });
