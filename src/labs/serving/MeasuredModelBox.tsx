import type { LabViewProps } from '../../labkit/contract';
import { decodeMeasured, encodeMeasured, measuredSource } from '../../sim/serving/measured';
import type { meta } from './meta';

type Props = Pick<LabViewProps<typeof meta.schema>, 'params' | 'actions' | 'measuredModel'>;

/**
 * "Use the model I served": the Serve lab's measured step costs (kept by the shell across reloads)
 * as this lab's cost model, so P99 vs QPS is for the model the user trained. The costs travel in
 * the URL once used (a link reproduces the run); Remove goes back to the catalog model's roofline,
 * Forget drops the stored measurement.
 */
export function MeasuredModelBox({ params, actions, measuredModel }: Props) {
  const stored = measuredModel?.cost ?? null;
  const apply = (encoded: string) => {
    actions.setParams({ measured: encoded });
    // A view-placed parameter does not re-run by itself: run with the new cost model now.
    actions.run();
  };
  if (params.measured) {
    let source: string;
    try {
      source = measuredSource(decodeMeasured(params.measured));
    } catch (e) {
      source = (e as Error).message;
    }
    return (
      <div className="srv-measured" data-testid="srv-measured">
        <p>
          Cost model: the model you served, <span data-testid="srv-measured-source">{source}</span>.
        </p>
        <button type="button" onClick={() => apply('')}>
          Remove (back to the roofline of the model above)
        </button>
      </div>
    );
  }
  if (!stored)
    return (
      <p className="srv-measured-hint" data-testid="srv-measured-hint">
        Serve a model in the Serve lab and its measured step times can replace the roofline here.
      </p>
    );
  return (
    <div className="srv-measured" data-testid="srv-measured">
      <button type="button" onClick={() => apply(encodeMeasured(stored))}>
        Use the model I served
      </button>{' '}
      <span>
        {stored.model.name}, {measuredSource(stored)}.
      </span>{' '}
      <button type="button" onClick={() => measuredModel?.forget()}>
        Forget this measurement
      </button>
    </div>
  );
}
