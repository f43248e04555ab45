import { archOf, type ModelArch } from '../../catalog/config';
import { decodeConfig } from '../../catalog/share';
import { ModelConfigInput } from '../../ui/ModelConfigInput';
import { findGpu, GPUS } from '../../catalog/gpus';
import { findModel, MODELS } from '../../catalog/models';
import { countParams } from '../../catalog/params';
import type { LabViewProps } from '../../labkit/contract';
import { fmtMs } from '../../ui/format';
import type { meta } from './meta';
import { decodeStepCost, SERVING_FORMATS, servingGpuOf } from './serving';

type Props = Pick<LabViewProps<typeof meta.schema>, 'params' | 'actions'>;

/** The catalog model (or your config.json) and GPU the model-scale tables answer for. */
export function ModelPicker({ params, actions }: Props) {
  const own = params.costModel === 'own' && params.config ? decodeConfig(params.config) : null;
  const preset = findModel(params.costModel) ?? MODELS.find((m) => m.id === 'llama3.1-70b')!;
  return (
    <>
      <p>
        <label>
          Model{' '}
          <select
            value={params.costModel}
            onChange={(e) => actions.setParams({ costModel: e.target.value })}
            aria-label="Model for the decode cost table"
          >
            {MODELS.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
            <option value="own">Your config.json</option>
          </select>
        </label>{' '}
        <label>
          on{' '}
          <select
            value={params.costGpu}
            onChange={(e) => actions.setParams({ costGpu: e.target.value })}
            aria-label="GPU for the decode cost table"
          >
            {GPUS.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
      </p>
      {params.costModel === 'own' ? (
        <ModelConfigInput encoded={params.config} onApply={(encoded) => actions.setParams({ config: encoded })} />
      ) : null}
      {params.costModel === 'own' && !own?.ok ? (
        <p className="muted">Until a config is given, the tables show {preset.name}.</p>
      ) : null}
    </>
  );
}

/**
 * The catalog model and GPU picked above, at each serving weight format: weight bytes one
 * decode step streams (every parameter once; an MoE batch touches every expert), the step's lower
 * bound, and the bandwidth-bound tokens per second of one sequence.
 */
export function ModelDecodeTable({ params }: Pick<Props, 'params'>) {
  const own = params.costModel === 'own' && params.config ? decodeConfig(params.config) : null;
  const preset = findModel(params.costModel) ?? MODELS.find((m) => m.id === 'llama3.1-70b')!;
  const arch: ModelArch = own?.ok ? own.arch : archOf(preset.config);
  const name = own?.ok ? `Your model (${own.config.model_type ?? 'config.json'})` : preset.name;
  const gpu = servingGpuOf(findGpu(params.costGpu) ?? GPUS[0]);
  const count = countParams(arch);
  return (
    <div className="decode-scroll">
      <table className="decode-serving" data-testid="decode-model-table">
        <caption>
          {name} ({(count.total / 1e9).toFixed(1)} B parameters) on {gpu.name} ({gpu.source}): one decode step ≥
          max(weight bytes ÷ {gpu.bandwidthGBps.toLocaleString('en-US')} GB/s, 2·P·b ÷ peak)
        </caption>
        <thead>
          <tr>
            <th scope="col">Format</th>
            <th scope="col">Weights</th>
            <th scope="col">GPUs to hold them</th>
            <th scope="col">Step at b = 1</th>
            <th scope="col">Tokens/s, one sequence</th>
            <th scope="col">Compute-bound from b ≈</th>
          </tr>
        </thead>
        <tbody>
          {SERVING_FORMATS.map((f) => {
            // FLOPs follow the active parameters; bytes follow all of them (a batch touches every expert).
            const c = decodeStepCost(count.total, f, 1, gpu);
            return (
              <tr key={f.id}>
                <td>{f.label}</td>
                <td>{c.weightGB.toFixed(c.weightGB < 10 ? 1 : 0)} GB</td>
                <td>{c.gpus}</td>
                <td>{fmtMs(c.ms)}</td>
                <td>{(1000 / c.ms).toFixed(1)}</td>
                <td>{Math.round(c.crossoverBatch)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
