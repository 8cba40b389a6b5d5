/**
 * Foundation schema. event_logs' key is (event_id, user_id, event_day): every column a future day-partitioned,
 * user_id-distributed table needs in its unique key, and all three are fixed by the client at track time, so a
 * retried event always hits the same key. event_day comes from the client's own timestamp for the same reason.
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration0001Foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists experiments (
      id uuid primary key default gen_random_uuid(),
      key varchar(128) not null unique,
      name varchar(256) null,
      seed varchar(128) not null,
      coverage double precision not null default 1 check (coverage >= 0 and coverage <= 1),
      variants jsonb not null,
      status varchar(16) not null default 'draft' check (status in ('draft', 'running', 'stopped')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create index if not exists experiments_status_idx on experiments (status)`);

    this.addSql(`create table if not exists assignments (
      experiment_id uuid not null references experiments (id) on delete cascade,
      user_id varchar(256) not null,
      variant varchar(128) not null,
      assigned_at timestamptz not null default now(),
      primary key (experiment_id, user_id)
    )`);
    this.addSql(`create index if not exists assignments_user_idx on assignments (user_id)`);

    this.addSql(`create table if not exists event_logs (
      event_id uuid not null,
      user_id varchar(256) not null,
      event_day date not null,
      name varchar(128) not null,
      client_timestamp timestamptz not null,
      occurred_at timestamptz not null,
      received_at timestamptz not null default now(),
      properties jsonb not null default '{}'::jsonb,
      assignments jsonb not null default '{}'::jsonb,
      primary key (event_id, user_id, event_day)
    )`);
    this.addSql(`create index if not exists event_logs_day_name_idx on event_logs (event_day, name)`);
    this.addSql(`create index if not exists event_logs_user_time_idx on event_logs (user_id, occurred_at)`);

    this.addSql(`create table if not exists funnels (
      name varchar(128) primary key,
      steps jsonb not null,
      conversion_window_hours integer not null default 24 check (conversion_window_hours > 0),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists event_logs');
    this.addSql('drop table if exists assignments');
    this.addSql('drop table if exists funnels');
    this.addSql('drop table if exists experiments');
  }
}
