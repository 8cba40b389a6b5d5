/**
 * Load-test runs, their per-endpoint metrics and their data checks. Metrics and checks are keyed by run and name,
 * so storing a run's results twice rewrites them instead of adding rows.
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration0003LoadTests extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists load_test_runs (
      id uuid primary key default gen_random_uuid(),
      name varchar(128) not null,
      scenario varchar(32) not null check (scenario in ('assignment', 'events', 'mixed')),
      phase varchar(32) not null check (phase in ('baseline', 'post_mitigation')),
      status varchar(16) not null default 'running' check (status in ('running', 'completed', 'failed')),
      target varchar(512) not null,
      tags jsonb not null default '{}'::jsonb,
      config jsonb not null default '{}'::jsonb,
      started_at timestamptz not null default now(),
      ended_at timestamptz null,
      duration_ms integer null check (duration_ms is null or duration_ms >= 0),
      artifact_path text null,
      error text null,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index if not exists load_test_runs_started_idx on load_test_runs (started_at desc)`);
    this.addSql(
      `create index if not exists load_test_runs_phase_scenario_idx on load_test_runs (phase, scenario, started_at desc)`,
    );
    this.addSql(`create index if not exists load_test_runs_name_idx on load_test_runs (name, started_at desc)`);

    this.addSql(`create table if not exists load_test_endpoint_metrics (
      run_id uuid not null references load_test_runs (id) on delete cascade,
      endpoint varchar(128) not null,
      requests bigint not null check (requests >= 0),
      rps double precision not null,
      status_2xx bigint not null default 0,
      status_4xx bigint not null default 0,
      status_5xx bigint not null default 0,
      timeouts bigint not null default 0,
      transport_errors bigint not null default 0,
      error_rate double precision not null check (error_rate >= 0 and error_rate <= 1),
      latency_p50_ms double precision not null,
      latency_p95_ms double precision not null,
      latency_p99_ms double precision not null,
      latency_max_ms double precision not null,
      latency_mean_ms double precision not null,
      primary key (run_id, endpoint)
    )`);

    this.addSql(`create table if not exists load_test_data_checks (
      run_id uuid not null references load_test_runs (id) on delete cascade,
      name varchar(64) not null,
      passed boolean not null,
      violations bigint not null default 0,
      checked bigint not null default 0,
      details jsonb not null default '{}'::jsonb,
      checked_at timestamptz not null default now(),
      primary key (run_id, name)
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists load_test_data_checks');
    this.addSql('drop table if exists load_test_endpoint_metrics');
    this.addSql('drop table if exists load_test_runs');
  }
}
