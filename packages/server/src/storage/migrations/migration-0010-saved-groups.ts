/**
 * Saved groups: named lists of attribute values (user ids, countries, ...) that experiment conditions name with
 * `$inGroup` / `$notInGroup`, so a list is kept once instead of being copied into every condition.
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration0010SavedGroups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists saved_groups (
      key varchar(128) primary key,
      name varchar(256) null,
      "values" jsonb not null default '[]'::jsonb check (jsonb_typeof("values") = 'array'),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists saved_groups');
  }
}
