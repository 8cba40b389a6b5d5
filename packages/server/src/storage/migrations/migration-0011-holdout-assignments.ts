/**
 * Holdout membership for analysis: one row per holdout and user, written by the assignment path the first time it
 * evaluates, for that user, an experiment the holdout covers (`holdout` when held out, `exposed` otherwise), and never
 * changed after. The experiments rollup reads these rows like sticky assignments of a two-arm experiment, so holdouts
 * get a database id to key their per-user values by, next to the experiments' ids.
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration0011HoldoutAssignments extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists holdout_assignments (
      holdout_key varchar(128) not null references holdouts (key) on delete cascade,
      user_id varchar(256) not null,
      arm varchar(16) not null check (arm in ('holdout', 'exposed')),
      assigned_at timestamptz not null default now(),
      primary key (holdout_key, user_id)
    )`);
    // The rollup finds the rows assigned inside its window.
    this.addSql(`create index if not exists holdout_assignments_assigned_idx on holdout_assignments (assigned_at)`);
    this.addSql(`alter table holdouts add column if not exists id uuid not null default gen_random_uuid()`);
    this.addSql(`create unique index if not exists holdouts_id_idx on holdouts (id)`);
    // experiment_user_values now keys the values of experiments (experiments.id) and of holdouts (holdouts.id).
    // Experiments are archived, never deleted, so the cascade the foreign key gave is not missed.
    this.addSql(
      `alter table experiment_user_values drop constraint if exists experiment_user_values_experiment_id_fkey`,
    );
    // Holdout rollup rows are keyed '~' || holdout key, a key space experiment keys (which start with a letter or
    // digit) never use; one more character than a key. Widening a varchar rewrites nothing.
    this.addSql(`alter table experiment_metric_rollups alter column experiment_key type varchar(129)`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table experiment_metric_rollups alter column experiment_key type varchar(128)`);
    this.addSql(
      `delete from experiment_user_values v where not exists (select 1 from experiments e where e.id = v.experiment_id)`,
    );
    this.addSql(`alter table experiment_user_values add constraint experiment_user_values_experiment_id_fkey
      foreign key (experiment_id) references experiments (id) on delete cascade`);
    this.addSql('drop index if exists holdouts_id_idx');
    this.addSql('alter table holdouts drop column if exists id');
    this.addSql('drop table if exists holdout_assignments');
  }
}
