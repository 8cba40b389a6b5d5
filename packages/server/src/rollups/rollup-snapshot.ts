/** The data columns of a job's rollup rows (no run ids or timestamps), in a stable order, for idempotency checks. */
import { rawQuery } from '../storage/raw-query.js';
import type { Storage } from '../storage/storage.js';
import type { RollupJob } from './rollup-window.js';

const SNAPSHOTS: Record<RollupJob, string> = {
  daily: `select to_char(day, 'YYYY-MM-DD') as day, event_name, events::text, unique_users::text
            from daily_metric_rollups order by day, event_name`,
  experiments: `select experiment_key, window_days, variant, metric, exposed_users::text, converted_users::text,
                       value_sum::text, value_sum_squares::text, window_start::text, window_end::text
                  from experiment_metric_rollups order by experiment_key, window_days, variant, metric`,
  funnels: `select funnel_name, to_char(day, 'YYYY-MM-DD') as day, step_index, step_name, users::text
              from funnel_rollups order by funnel_name, day, step_index`,
};

/** One line per row, so two snapshots can be diffed as sets of lines. */
export async function rollupSnapshot(storage: Storage, job: RollupJob): Promise<string[]> {
  const rows = await rawQuery<Record<string, unknown>>(storage.orm.em.fork(), SNAPSHOTS[job]);
  return rows.map((r) => JSON.stringify(r));
}
