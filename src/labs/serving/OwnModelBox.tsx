import type { LabViewProps } from '../../labkit/contract';
import { ModelConfigInput } from '../../ui/ModelConfigInput';
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
