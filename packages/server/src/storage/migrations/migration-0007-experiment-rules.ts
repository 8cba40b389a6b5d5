/**
 * Experiment rules: a targeting condition, the attribute users are hashed by (and a fallback), a namespace claim,
 * the `released` status with the variant everyone gets, and variant payloads (inside the `variants` JSON). Sticky
 * assignments remember the attribute they were hashed by.
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration0007ExperimentRules extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table experiments
      add column if not exists condition jsonb null,
      add column if not exists hash_attribute varchar(128) not null default 'id',
      add column if not exists fallback_attribute varchar(128) null,
      add column if not exists namespace jsonb null,
      add column if not exists released_variant varchar(128) null,
      add column if not exists released_at timestamptz null`);
    this.addSql('alter table experiments drop constraint if exists experiments_status_check');
    this.addSql(`alter table experiments add constraint experiments_status_check
      check (status in ('draft', 'running', 'stopped', 'released', 'archived'))`);
    this.addSql(`alter table assignments add column if not exists hash_attribute varchar(128) not null default 'id'`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table assignments drop column if exists hash_attribute');
    this.addSql(`update experiments set status = 'stopped' where status = 'released'`);
    this.addSql('alter table experiments drop constraint if exists experiments_status_check');
    this.addSql(`alter table experiments add constraint experiments_status_check
      check (status in ('draft', 'running', 'stopped', 'archived'))`);
    this.addSql(`alter table experiments
      drop column if exists condition,
      drop column if exists hash_attribute,
      drop column if exists fallback_attribute,
      drop column if exists namespace,
      drop column if exists released_variant,
      drop column if exists released_at`);
  }
}
