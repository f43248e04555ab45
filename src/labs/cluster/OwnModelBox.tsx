import { ModelConfigInput } from '../../ui/ModelConfigInput';
import type { ClusterViewProps } from './View';

/** The config.json box shown when the model is "Your config.json": it stores the compressed config in the URL and re-runs. */
export function OwnModelBox({ params, actions }: Pick<ClusterViewProps, 'params' | 'actions'>) {
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
