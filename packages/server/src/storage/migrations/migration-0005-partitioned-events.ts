/**
 * On PostgreSQL, event_logs becomes a table partitioned by RANGE (event_day): one partition per day that holds rows,
 * plus a DEFAULT partition that catches any day without one, so no event is ever refused for want of a partition.
 * The days ahead are made by the server (storage/event-partitions.ts). The primary key (event_id, user_id, event_day)
 * already contains the partition key, so it stays the table's key and `ON CONFLICT` dedupe works unchanged: event_day
 * comes from the client's own timestamp, so a retried event always lands in the same partition as its first copy.
 * Embedded PGlite keeps the plain table (docs/OPERATIONS.md#partitioned-event-log has the figures).
 */
import { Migration } from '@mikro-orm/migrations';
import { PGliteDriver } from 'mikro-orm-pglite';

// Renames the plain table and its indexes out of the way, makes the partitioned table with the same columns, key and
// indexes (read from the catalog, so an index a later migration or an operator added is kept too), a partition per
// day present, and moves the rows. All in the migration's transaction: a failure leaves the plain table as it was.
const PARTITION = `
do $$
declare
  index_defs text[];
  def text;
  r record;
begin
  select coalesce(array_agg(pg_get_indexdef(i.indexrelid)), '{}') into index_defs
    from pg_index i where i.indrelid = 'event_logs'::regclass and not i.indisprimary;
  for r in select c.relname from pg_index i join pg_class c on c.oid = i.indexrelid
            where i.indrelid = 'event_logs'::regclass loop
    execute format('alter index %I rename to %I', r.relname, left(r.relname, 48) || '_unpartitioned');
  end loop;
  alter table event_logs rename to event_logs_unpartitioned;
  create table event_logs (like event_logs_unpartitioned including defaults including constraints including storage
    including comments) partition by range (event_day);
  alter table event_logs add primary key (event_id, user_id, event_day);
  foreach def in array index_defs loop
    execute def;
  end loop;
  create table event_logs_default partition of event_logs default;
  for r in select distinct event_day as day from event_logs_unpartitioned order by 1 loop
    execute format('create table %I partition of event_logs for values from (%L) to (%L)',
      'event_logs_p' || to_char(r.day, 'YYYYMMDD'), r.day, r.day + 1);
  end loop;
  insert into event_logs select * from event_logs_unpartitioned;
  drop table event_logs_unpartitioned;
end $$`;

// The way back: one plain table with the same columns, key and indexes, holding every partition's rows.
const UNPARTITION = `
do $$
declare
  index_defs text[];
  def text;
  r record;
begin
  select coalesce(array_agg(pg_get_indexdef(i.indexrelid)), '{}') into index_defs
    from pg_index i where i.indrelid = 'event_logs'::regclass and not i.indisprimary;
  for r in select c.relname from pg_index i join pg_class c on c.oid = i.indexrelid
            where i.indrelid = 'event_logs'::regclass loop
    execute format('alter index %I rename to %I', r.relname, left(r.relname, 50) || '_partitioned');
  end loop;
  alter table event_logs rename to event_logs_partitioned;
  create table event_logs (like event_logs_partitioned including defaults including constraints including storage
    including comments);
  alter table event_logs add primary key (event_id, user_id, event_day);
  foreach def in array index_defs loop
    execute def;
  end loop;
  insert into event_logs select * from event_logs_partitioned;
  drop table event_logs_partitioned;
end $$`;

export class Migration0005PartitionedEvents extends Migration {
  /** PGlite keeps the plain table; the migration is recorded there all the same. */
  #onPglite(): boolean {
    return this.config.getDriver() instanceof PGliteDriver;
  }

  override async up(): Promise<void> {
    if (this.#onPglite()) return;
    this.addSql(PARTITION);
  }

  override async down(): Promise<void> {
    if (this.#onPglite()) return;
    this.addSql(UNPARTITION);
  }
}
