import { defineModule } from '../contract';
import { meta } from './meta';
import { runMemoryWall } from './run';
import { MemoryWallView } from './View';

export default defineModule(meta, { run: runMemoryWall, View: MemoryWallView });
