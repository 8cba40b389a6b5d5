/**
 * Incremental rollups. A run only looks at events received since the job's watermark: `received_at` finds them and
 * `occurred_at` reads one day's events without a scan of the whole log. Per-user state lets a run touch only the
 * users with new events: each assigned user's settled value per metric (experiment_user_values: the sum over events
 * received before the watermark, to which each run adds the events received since) and each user's progress through
 * each funnel (funnel_user_progress). Their keys start with user_id, the distribution column of the scale-out path
 * (docs/SCALING.md).
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration0006IncrementalRollups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists event_logs_received_idx on event_logs (received_at)`);
    this.addSql(`create index if not exists event_logs_occurred_idx on event_logs (occurred_at)`);

    this.addSql(`create table if not exists rollup_watermarks (
      job varchar(32) primary key check (job in ('daily', 'experiments', 'funnels')),
      received_before timestamptz not null,
      window_start timestamptz not null,
      window_end timestamptz not null,
      config jsonb not null,
      updated_at timestamptz not null default now()
    )`);

    this.addSql(`create table if not exists experiment_user_values (
      user_id varchar(256) not null,
      experiment_id uuid not null references experiments (id) on delete cascade,
      metric varchar(128) not null,
      variant varchar(128) not null,
      assigned_at timestamptz not null,
      settled_value double precision not null,
      primary key (user_id, experiment_id, metric)
    )`);
    this.addSql(`create index if not exists experiment_user_values_experiment_idx
      on experiment_user_values (experiment_id, assigned_at)`);

    this.addSql(`create table if not exists funnel_user_progress (
      user_id varchar(256) not null,
      funnel_name varchar(128) not null references funnels (name) on delete cascade,
      entered_at timestamptz not null,
      entry_day date not null,
      steps integer not null check (steps >= 1),
      primary key (user_id, funnel_name)
    )`);
    this.addSql(
      `create index if not exists funnel_user_progress_day_idx on funnel_user_progress (funnel_name, entry_day)`,
    );

    this.addSql(`alter table rollup_runs add column if not exists mode varchar(16) not null default 'full'
      check (mode in ('full', 'incremental'))`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table rollup_runs drop column if exists mode');
    this.addSql('drop table if exists funnel_user_progress');
    this.addSql('drop table if exists experiment_user_values');
    this.addSql('drop table if exists rollup_watermarks');
    this.addSql('drop index if exists event_logs_occurred_idx');
    this.addSql('drop index if exists event_logs_received_idx');
  }
}
