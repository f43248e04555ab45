import { defineModule } from '../../labkit/contract';
import { meta } from './meta';
import { runCluster } from './run';
import { ClusterView } from './View';

export default defineModule(meta, { run: runCluster, View: ClusterView });
