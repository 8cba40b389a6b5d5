/**
 * Rollup tables and the run log. Rollup rows carry no surrogate ids: their natural keys are what makes a rerun of
 * the same window rewrite the same rows (idempotence).
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration0002Rollups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists rollup_runs (
      id bigserial primary key,
      job varchar(32) not null check (job in ('daily', 'experiments', 'funnels')),
      window_start timestamptz not null,
      window_end timestamptz not null,
      started_at timestamptz not null default clock_timestamp(),
      ended_at timestamptz null,
      status varchar(16) not null default 'running' check (status in ('running', 'succeeded', 'failed')),
      rows_written integer not null default 0,
      error text null
    )`);
    this.addSql(`create index if not exists rollup_runs_job_started_idx on rollup_runs (job, started_at desc)`);

    this.addSql(`create table if not exists daily_metric_rollups (
      day date not null,
      event_name varchar(128) not null,
      events bigint not null,
      unique_users bigint not null,
      computed_at timestamptz not null default now(),
      run_id bigint null,
      primary key (day, event_name)
    )`);

    this.addSql(`create table if not exists experiment_metric_rollups (
      experiment_key varchar(128) not null,
      window_days integer not null,
      variant varchar(128) not null,
      metric varchar(128) not null,
      window_start timestamptz not null,
      window_end timestamptz not null,
      exposed_users bigint not null,
      converted_users bigint not null,
      value_sum double precision not null,
      value_sum_squares double precision not null,
      computed_at timestamptz not null default now(),
      run_id bigint null,
      primary key (experiment_key, window_days, variant, metric)
    )`);

    this.addSql(`create table if not exists funnel_rollups (
      funnel_name varchar(128) not null,
      day date not null,
      step_index integer not null,
      step_name varchar(128) not null,
      users bigint not null,
      computed_at timestamptz not null default now(),
      run_id bigint null,
      primary key (funnel_name, day, step_index)
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists funnel_rollups');
    this.addSql('drop table if exists experiment_metric_rollups');
    this.addSql('drop table if exists daily_metric_rollups');
    this.addSql('drop table if exists rollup_runs');
  }
}
