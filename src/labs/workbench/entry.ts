import { defineModule } from '../../labkit/contract';
import { meta } from './meta';
import { runWorkbench } from './run';
import { WorkbenchView } from './View';

export default defineModule(meta, { run: runWorkbench, View: WorkbenchView });
