/**
 * QA overrides and holdouts. An override forces one user into one variant of one experiment (optionally until
 * `expires_at`); it hangs off the experiment's id, like sticky assignments, so it follows the experiment whatever
 * happens to its rows. A holdout keeps a stable share of users (hashed with its own seed) out of the experiments it
 * lists, or out of all of them.
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration0008OverridesHoldouts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists experiment_overrides (
      experiment_id uuid not null references experiments (id) on delete cascade,
      user_id varchar(256) not null,
      variant varchar(128) not null,
      expires_at timestamptz null,
      note varchar(256) null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (experiment_id, user_id)
    )`);
    // The assignment path reads a user's overrides across experiments.
    this.addSql(`create index if not exists experiment_overrides_user_idx on experiment_overrides (user_id)`);

    this.addSql(`create table if not exists holdouts (
      key varchar(128) primary key,
      name varchar(256) null,
      seed varchar(128) not null,
      share double precision not null check (share > 0 and share < 1),
      experiment_keys jsonb not null default '[]'::jsonb,
      all_experiments boolean not null default false,
      status varchar(16) not null default 'active' check (status in ('active', 'archived')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      archived_at timestamptz null
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists holdouts');
    this.addSql('drop table if exists experiment_overrides');
  }
}
