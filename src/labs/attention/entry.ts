import { defineModule } from '../contract';
import { meta } from './meta';
import { runAttentionLab } from './run';
import { AttentionView } from './View';

export default defineModule(meta, { run: runAttentionLab, View: AttentionView });
