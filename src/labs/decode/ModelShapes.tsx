import { findGpu, GPUS } from '../../catalog/gpus';
import { bytesPerWeight, SHORT_LABELS, type QuantVariant } from '../../kernels/quant';
import type { LabRunContext, LabViewProps } from '../../labkit/contract';
import { fmtGBps, fmtMs } from '../../ui/format';
import type { meta } from './meta';
import type { DecodeJobs } from './run';
import { bytesPerToken, projectionsOf, SHAPE_VARIANTS, type Projection } from './shapes';
import { runShapes, shapesKey, shapesModel, type ShapesResult } from './shapesRun';

type Props = Pick<LabViewProps<typeof meta.schema, unknown, DecodeJobs>, 'params' | 'actions' | 'jobs' | 'device'>;

/** Decimal bytes, as datasheet bandwidths count them (GB = 10^9). */
const bytesText = (b: number) =>
  b >= 1e9 ? `${(b / 1e9).toFixed(b < 10e9 ? 2 : 1)} GB` : b >= 1e6 ? `${(b / 1e6).toFixed(2)} MB` : `${(b / 1e3).toFixed(1)} kB`;
const rate = (t: number) =>
  t >= 1 ? t.toLocaleString('en-US', { maximumFractionDigits: 1 }) : t.toPrecision(2);
const shape = (N: number, K: number) => `${N.toLocaleString('en-US')} × ${K.toLocaleString('en-US')}`;

function fullBytes(p: Projection, v: QuantVariant, group: number): number {
  return p.N * p.K * bytesPerWeight(v, p.K, v === 'int4' ? group : null);
}

/**
 * This device's tokens per second if it streamed every full-size matrix at the GB/s its kernel
 * reached on the scaled shape: Σ per-token bytes ÷ measured GB/s. An extrapolation from
 * measurements (small shapes pay launch overhead, so it errs slow), said so where shown.
 */
export function deviceTokensPerS(r: ShapesResult, v: QuantVariant): number | null {
  let s = 0;
  for (const row of r.rows) {
    const m = row.measured.find((x) => x.variant === v);
    if (!m || !(m.effectiveGBps > 0)) return null;
    s += (row.projection.perToken * fullBytes(row.projection, v, r.group)) / (m.effectiveGBps * 1e9);
  }
  return s > 0 ? 1 / s : null;
}

/**
 * The chosen model's weight matrices at their own shapes: bytes per token at each weight format,
 * the bandwidth-bound tokens/s on the chosen GPU (datasheet), and, on demand, the lab's kernels
 * run at each shape scaled to this device, checked and timed.
 */
export function ModelShapes({ params, actions, jobs, device }: Props) {
  let model: ReturnType<typeof shapesModel> | null = null;
  let problem: string | null = null;
  try {
    model = shapesModel(params);
  } catch (e) {
    problem = e instanceof Error ? e.message : String(e);
  }
  if (!model) return <p className="muted">{problem}</p>;
  const gpu = findGpu(params.costGpu) ?? GPUS[0];
  const group = Number(params.group);
  const projs = projectionsOf(model.arch);
  const job = jobs.shapes;
  const key = shapesKey(params);
  const data = job?.data && job.data.key === key ? job.data : null;
  const running = job?.status === 'running';
  const moe = model.arch.moe;
  const run = () => actions.runJob('shapes', (ctx: LabRunContext) => runShapes(ctx, params), { key });
  return (
    <div className="decode-scroll" data-testid="decode-shapes">
      <table className="decode-serving" data-testid="decode-shapes-summary">
        <caption>
          {model.name}, one decode token (b = 1{moe ? `: ${moe.topK} routed + ${moe.shared} shared experts` : ''}): weight
          bytes read, and tokens/s if the weights stream at full bandwidth
        </caption>
        <thead>
          <tr>
            <th scope="col">Weights</th>
            <th scope="col">Bytes per token (from the config)</th>
            <th scope="col">
              {gpu.name}: tokens/s bound ({gpu.bandwidthGBps.toLocaleString('en-US')} GB/s, datasheet)
            </th>
            <th scope="col">This device: tokens/s (extrapolated from the kernels measured below)</th>
          </tr>
        </thead>
        <tbody>
          {SHAPE_VARIANTS.map((v) => {
            const bytes = bytesPerToken(projs, v, group);
            const here = data ? deviceTokensPerS(data, v) : null;
            return (
              <tr key={v}>
                <td>
                  {v === 'f16' ? 'f16 / bf16' : SHORT_LABELS[v]}
                  {v === 'int4' ? ` (g${group})` : ''}
                </td>
                <td>{bytesText(bytes)}</td>
                <td>{rate((gpu.bandwidthGBps * 1e9) / bytes)}</td>
                <td>{here === null ? '—' : rate(here)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p>
        {running ? (
          <button type="button" className="btn btn-small" onClick={() => actions.cancelJob('shapes')}>
            Cancel ({Math.round((job?.progress ?? 0) * 100)} %: {job?.progressText})
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-small"
            onClick={run}
            disabled={device.status !== 'ready'}
            data-testid="decode-shapes-run"
          >
            {data ? 'Run the layer shapes again' : `Run ${model.name}’s ${projs.length} layer shapes on this GPU`}
          </button>
        )}{' '}
        {job?.status === 'error' ? <span role="alert">Shapes failed: {job.error}</span> : null}
      </p>
      <table className="decode-serving" data-testid="decode-shapes-table">
        <caption>
          {model.name}’s weight matrices (W is N × K){' '}
          {data
            ? `run at M = 1 on ${data.adapter}, scaled where marked. ${data.limitReason} Each output checked against a float64 reference of its dequantized weights (largest error ${Math.max(...data.rows.flatMap((r) => r.measured.map((m) => m.kernelError))).toExponential(1)}); median of the timed runs.`
            : '(from the config; run them to measure).'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Matrix</th>
            <th scope="col">N × K</th>
            <th scope="col">Read per token (stored)</th>
            <th scope="col">Run here</th>
            {SHAPE_VARIANTS.map((v) => (
              <th scope="col" key={v}>
                {SHORT_LABELS[v]}: measured time (GB/s)
              </th>
            ))}
            <th scope="col">
              {gpu.name}: int4 time bound, all of this shape per token (datasheet GB/s)
            </th>
          </tr>
        </thead>
        <tbody>
          {projs.map((p, i) => {
            const row = data?.rows[i];
            return (
              <tr key={p.id}>
                <td>{p.name}</td>
                <td>{shape(p.N, p.K)}</td>
                <td>
                  {p.perToken.toLocaleString('en-US')}
                  {p.stored !== p.perToken ? ` (${p.stored.toLocaleString('en-US')})` : ''}
                </td>
                <td>{row ? `${shape(row.run.N, row.run.K)}${row.run.note ? `: ${row.run.note}` : ''}` : '—'}</td>
                {SHAPE_VARIANTS.map((v) => {
                  const m = row?.measured.find((x) => x.variant === v);
                  return <td key={v}>{m ? `${fmtMs(m.medianMs)} (${fmtGBps(m.effectiveGBps)})` : '—'}</td>;
                })}
                <td>{fmtMs(((p.perToken * fullBytes(p, 'int4', group)) / (gpu.bandwidthGBps * 1e9)) * 1e3)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {data?.software ? (
        <p className="muted">
          This adapter is a CPU (software rasterizer): its times and the extrapolated tokens/s are a CPU’s, not a GPU’s;
          the shapes, bytes and checks are the same.
        </p>
      ) : null}
    </div>
  );
}
