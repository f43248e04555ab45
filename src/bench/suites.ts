import { deviceSuite } from '../labs/device/bench';
import { memoryWallSuite } from '../labs/memory-wall/bench';
import { tilingSuite } from '../labs/tiling/bench';
import { dataloaderSuite } from '../labs/dataloader/bench';
import { attentionSuite } from '../labs/attention/bench';
import { kvCacheSuite } from '../labs/kv-cache/bench';
import { workbenchSuite } from '../labs/workbench/bench';
import type { BenchSuite } from './types';

/** Every lab's bench suite, in run order. Labs add theirs here. */
export const SUITES: BenchSuite[] = [deviceSuite, memoryWallSuite, tilingSuite, attentionSuite, kvCacheSuite, dataloaderSuite, workbenchSuite];
