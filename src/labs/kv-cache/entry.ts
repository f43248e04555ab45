import { defineModule } from '../contract';
import { meta } from './meta';
import { runKvCacheLab } from './run';
import { KvCacheView } from './View';

export default defineModule(meta, { run: runKvCacheLab, View: KvCacheView });
