/**
 * The audit log of admin changes: one row per successful change through the admin API, with who made it, what it
 * touched, the entity's state before and after, and their diff. Rows are only ever appended.
 */
import { Migration } from '@mikro-orm/migrations';

export class Migration0009AuditLog extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists admin_audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor text not null,
      method text not null,
      path text not null,
      entity_kind text not null,
      entity_key text null,
      action text not null,
      before jsonb null,
      after jsonb null,
      diff jsonb not null default '[]'::jsonb,
      request_id text null
    )`);
    // Pages are read newest first (id desc), filtered by entity, by actor, or by time.
    this.addSql(
      'create index if not exists admin_audit_log_entity_idx on admin_audit_log (entity_kind, entity_key, id desc)',
    );
    this.addSql('create index if not exists admin_audit_log_entity_key_idx on admin_audit_log (entity_key, id desc)');
    this.addSql('create index if not exists admin_audit_log_actor_idx on admin_audit_log (actor, id desc)');
    this.addSql('create index if not exists admin_audit_log_at_idx on admin_audit_log (at)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists admin_audit_log');
  }
}
