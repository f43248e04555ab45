import type { LabViewProps } from '../../labkit/contract';
import { fmtBytes } from '../../ui/format';
import { ModelConfigInput } from '../../ui/ModelConfigInput';
import type { KvSimPart } from './simPart';
import type { meta } from './meta';

type Props = Pick<LabViewProps<typeof meta.schema>, 'params' | 'actions'>;

/** The config.json box shown when the model is "Your config.json": it stores the compressed config in the URL and re-runs. */
export function OwnModelBox({ params, actions }: Props) {
  if (params.model !== 'own') return null;
  return (
    <ModelConfigInput
      encoded={params.config}
      onApply={(encoded) => {
        actions.setParams({ config: encoded });
        // The config is a view-placed parameter (it does not re-run by itself): run with it now.
        actions.run();
      }}
    />
  );
}

/** Which model sized the blocks: its KV bytes per token and what a block holds. */
export function ModelNote({ config }: { config: KvSimPart['config'] }) {
  if (!config.model || !config.kvBytesPerToken) return null;
  return (
    <p className="muted" data-testid="kv-model">
      {config.model}: {fmtBytes(config.kvBytesPerToken)} of K/V per token, so a block of {config.blockSize} tokens is{' '}
      {fmtBytes(config.kvBytesPerToken * config.blockSize)} and {config.gib.toFixed(2)} GiB holds{' '}
      {config.numBlocks.toLocaleString('en-US')} blocks (KV bytes from src/catalog).
    </p>
  );
}
