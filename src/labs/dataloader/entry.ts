import { browserWorkerFactory } from '../../workers/dataloader.client';
import { defineModule } from '../../labkit/contract';
import { gpuCopy } from './gpuCopy';
import { meta } from './meta';
import { runDataloaderLab } from './run';
import { DataloaderView } from './View';

export default defineModule(meta, {
  run: (ctx, params) =>
    runDataloaderLab(ctx, params, {
      factory: browserWorkerFactory,
      copy: ctx.runtime ? gpuCopy(ctx.runtime.device) : undefined,
    }),
  View: DataloaderView,
});
