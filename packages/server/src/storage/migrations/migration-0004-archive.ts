/**
 * Archiving: experiments gain the status `archived`, funnels an `archived_at` timestamp. Nothing is deleted: an
 * archived definition keeps its sticky assignments, events and rollup rows.
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration0004Archive extends Migration {
  override async up(): Promise<void> {
    // The name PostgreSQL gave the inline check of 0001.
    this.addSql('alter table experiments drop constraint if exists experiments_status_check');
    this.addSql(`alter table experiments add constraint experiments_status_check
      check (status in ('draft', 'running', 'stopped', 'archived'))`);
    this.addSql('alter table funnels add column if not exists archived_at timestamptz null');
  }

  override async down(): Promise<void> {
    this.addSql('alter table funnels drop column if exists archived_at');
    this.addSql(`update experiments set status = 'stopped' where status = 'archived'`);
    this.addSql('alter table experiments drop constraint if exists experiments_status_check');
    this.addSql(`alter table experiments add constraint experiments_status_check
      check (status in ('draft', 'running', 'stopped'))`);
  }
}
