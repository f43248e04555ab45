import { defineModule } from '../../labkit/contract';
import { meta } from './meta';
import { runPlanner } from './run';
import { PlannerView } from './View';

export default defineModule(meta, { run: runPlanner, View: PlannerView });
