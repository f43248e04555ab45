import { planShards, groupSizes, type ShardPlan } from '../../data/shard';
import type { FormatsReport } from '../../data/measure';
import { withFormatsWorker } from '../../workers/formats.client';
import type { LabRunContext, ParamsOf } from '../../labkit/contract';
import type { meta } from './meta';

export type DataFormatsParams = ParamsOf<typeof meta.schema>;

export interface DataFormatsResult {
  report: FormatsReport;
  /** k actually read (at most F) and the table's shape. */
  columnsRead: number;
  features: number;
  rows: number;
  rowGroupRows: number;
  shards: ShardPlan;
  /** Per-rank batch used for the lock-step arithmetic of the shard plan. */
  shardBatch: number;
  notes: string[];
}

/** The last measurement, so changing only R (sharding) does not write and read every file again. */
let cache: { key: string; report: FormatsReport } | null = null;

export const SHARD_BATCH = 256;

export async function runDataFormats(ctx: LabRunContext, p: DataFormatsParams): Promise<DataFormatsResult> {
  const notes: string[] = [];
  const k = Math.min(p.columnsRead, p.features);
  if (k < p.columnsRead)
    notes.push(
      `Columns read k = ${p.columnsRead} is more than the ${p.features} feature columns; reading all ${p.features}.`,
    );
  const rowGroupRows = Math.min(p.rowGroupRows, p.rows);
  if (rowGroupRows < p.rowGroupRows)
    notes.push(`A row group cannot hold more rows than the table: one group of ${p.rows} rows.`);
  const spec = {
    rows: p.rows,
    features: p.features,
    rowGroupRows,
    columnsRead: k,
    selectivity: p.selectivity,
    seed: 1,
  };
  const key = JSON.stringify(spec);
  let report: FormatsReport;
  if (cache?.key === key) report = cache.report;
  else {
    ctx.progress(0.02, 'starting the worker');
    report = await withFormatsWorker(ctx.signal, (api, proxy) =>
      api.measure(
        spec,
        proxy((f: number, text: string) => ctx.progress(f, text)),
      ),
    );
    cache = { key, report };
  }
  const shards = planShards(groupSizes(p.rows, rowGroupRows), p.ranks, SHARD_BATCH);
  return {
    report,
    columnsRead: k,
    features: p.features,
    rows: p.rows,
    rowGroupRows,
    shards,
    shardBatch: SHARD_BATCH,
    notes,
  };
}
