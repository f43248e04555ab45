import { browserWorkerFactory } from '../../workers/dataloader.client';
import type { LabModule } from '../types';
import { gpuCopy } from './gpuCopy';
import { runDataloaderLab, type DataloaderResult } from './run';
import { DataloaderView } from './View';

const mod: LabModule<DataloaderResult> = {
  run: (ctx, params) => runDataloaderLab(ctx, params, { factory: browserWorkerFactory, copy: ctx.runtime ? gpuCopy(ctx.runtime.device) : undefined }),
  View: DataloaderView,
};
export const { run, View } = mod;
