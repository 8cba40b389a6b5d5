/**
 * The metric catalog: named metrics (conversion, count, sum, ratio) with their event, filter, window after first
 * exposure, capping and direction; experiments name the ones they are analysed on (`experiments.metrics`, with a
 * role). The metrics rollup job writes per experiment × variant × catalog metric the sums the statistics need into
 * experiment_catalog_rollups, counting exposed users only.
 */
import { Migration } from '@mikro-orm/migrations';

const JOBS_BEFORE = `'daily', 'experiments', 'funnels'`;
const JOBS_AFTER = `'daily', 'experiments', 'funnels', 'metrics'`;

export class Migration0012MetricCatalog extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists metrics (
      key varchar(128) primary key,
      name varchar(256) null,
      description text null,
      kind varchar(16) not null check (kind in ('conversion', 'count', 'sum', 'ratio')),
      event varchar(128) null,
      filter jsonb null,
      property varchar(128) null,
      numerator varchar(128) null,
      denominator varchar(128) null,
      window_hours integer null,
      capping jsonb null,
      direction varchar(8) not null default 'higher' check (direction in ('higher', 'lower')),
      cuped_lookback_days integer not null default 14,
      status varchar(16) not null default 'active' check (status in ('active', 'archived')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      archived_at timestamptz null
    )`);
    this.addSql(`alter table experiments add column if not exists metrics jsonb not null default '[]'::jsonb`);
    // One row per window length × experiment × variant × catalog metric; metric_key '$exposure' carries the exposed
    // users of a variant alone. The den_* columns are a ratio's denominator, the pre_* ones CUPED's pre-exposure value.
    this.addSql(`create table if not exists experiment_catalog_rollups (
      experiment_key varchar(129) not null,
      window_days integer not null,
      variant varchar(128) not null,
      metric_key varchar(128) not null,
      window_start timestamptz not null,
      window_end timestamptz not null,
      exposed_users bigint not null,
      value_sum double precision not null,
      value_sum_squares double precision not null,
      den_sum double precision not null default 0,
      den_sum_squares double precision not null default 0,
      value_den_sum_of_products double precision not null default 0,
      pre_sum double precision not null default 0,
      pre_sum_squares double precision not null default 0,
      value_pre_sum_of_products double precision not null default 0,
      computed_at timestamptz not null default now(),
      run_id bigint null,
      primary key (experiment_key, window_days, variant, metric_key)
    )`);
    for (const table of ['rollup_runs', 'rollup_watermarks']) {
      this.addSql(`alter table ${table} drop constraint if exists ${table}_job_check`);
      this.addSql(`alter table ${table} add constraint ${table}_job_check check (job in (${JOBS_AFTER}))`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['rollup_runs', 'rollup_watermarks']) {
      this.addSql(`delete from ${table} where job = 'metrics'`);
      this.addSql(`alter table ${table} drop constraint if exists ${table}_job_check`);
      this.addSql(`alter table ${table} add constraint ${table}_job_check check (job in (${JOBS_BEFORE}))`);
    }
    this.addSql('drop table if exists experiment_catalog_rollups');
    this.addSql('alter table experiments drop column if exists metrics');
    this.addSql('drop table if exists metrics');
  }
}
