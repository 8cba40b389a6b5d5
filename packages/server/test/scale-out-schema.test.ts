/**
 * Keeps the Citus path open (docs/SCALING.md#citus): a table distributed by `user_id` may only have primary keys,
 * unique constraints and unique indexes that include `user_id`, and co-located tables need the same column type.
 * The catalog is read generically, so any table with a `user_id` column that a migration adds (a partition of
 * `event_logs`, a per-user rollup) is held to the same rule; tables without one (definitions, aggregate rollups) are
 * reference or local tables there and are not.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestStorage, testSql, type TestDatabase } from '../src/testing.js';

const it = suite<{ db: TestDatabase }>('scale-out schema');

it.before(async (ctx) => {
  ctx.db = await createTestStorage();
});
it.after(async (ctx) => ctx.db.close());

interface UserTable {
  table_name: string;
  user_id_type: string;
}

interface UniqueRule {
  table_name: string;
  /** The constraint or index name. */
  name: string;
  /** p: primary key, u: unique, x: exclusion, i: a unique index that backs no constraint. */
  kind: string;
  definition: string;
  has_user_id: boolean;
}

/** Ordinary and partitioned tables (and their partitions) of the current schema that have a user_id column. */
const USER_TABLES = `
  select c.relname as table_name, format_type(a.atttypid, a.atttypmod) as user_id_type
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'user_id' and not a.attisdropped
   where n.nspname = current_schema() and c.relkind in ('r', 'p')
   order by c.relname`;

/**
 * Every primary key, unique and exclusion constraint, and every unique index not behind one of those, on the tables
 * above, with whether its columns include user_id. An expression index has attnum 0 there, so it counts only when
 * user_id is one of its plain columns.
 */
const UNIQUE_RULES = `
  with user_tables as (
    select c.oid, c.relname, a.attnum as user_id_attnum
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'user_id' and not a.attisdropped
     where n.nspname = current_schema() and c.relkind in ('r', 'p')
  )
  select t.relname as table_name, con.conname as name, con.contype::text as kind,
         pg_get_constraintdef(con.oid) as definition, t.user_id_attnum = any(con.conkey) as has_user_id
    from pg_constraint con join user_tables t on t.oid = con.conrelid
   where con.contype in ('p', 'u', 'x')
  union all
  select t.relname, ic.relname, 'i', pg_get_indexdef(i.indexrelid),
         t.user_id_attnum = any(i.indkey::int2[])
    from pg_index i
    join user_tables t on t.oid = i.indrelid
    join pg_class ic on ic.oid = i.indexrelid
   where i.indisunique
     and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid)
   order by 1, 2`;

it('assignments and event_logs are per-user tables, each with a primary key', async ({ db }) => {
  const tables = (await testSql<UserTable>(db.storage, USER_TABLES)).map((t) => t.table_name);
  for (const name of ['assignments', 'event_logs']) assert.ok(tables.includes(name), `${name} has user_id`);
  const rules = await testSql<UniqueRule>(db.storage, UNIQUE_RULES);
  for (const name of ['assignments', 'event_logs'])
    assert.ok(
      rules.some((r) => r.table_name === name && r.kind === 'p'),
      `${name} has a primary key`,
    );
});

it('every primary key, unique constraint and unique index of a table with user_id includes user_id', async ({ db }) => {
  const rules = await testSql<UniqueRule>(db.storage, UNIQUE_RULES);
  assert.ok(rules.length >= 2, 'the catalog query found the keys');
  const without = rules.filter((r) => !r.has_user_id).map((r) => `${r.table_name}.${r.name}: ${r.definition}`);
  assert.equal(without, [], `without user_id (Citus refuses these on a table distributed by user_id)`);
});

it('user_id has one type in every per-user table, so they can be co-located', async ({ db }) => {
  const tables = await testSql<UserTable>(db.storage, USER_TABLES);
  const types = new Set(tables.map((t) => t.user_id_type));
  assert.is(types.size, 1, tables.map((t) => `${t.table_name}: ${t.user_id_type}`).join(', '));
});

it('the catalog query sees a unique key without user_id when there is one', async ({ db }) => {
  // A deliberately wrong table proves the check can fail; dropped again at once.
  await testSql(db.storage, `create table scale_out_probe (id int primary key, user_id varchar(256) not null)`);
  try {
    const rules = await testSql<UniqueRule>(db.storage, UNIQUE_RULES);
    const probe = rules.filter((r) => r.table_name === 'scale_out_probe');
    assert.equal(
      probe.map((r) => [r.kind, r.has_user_id]),
      [['p', false]],
    );
  } finally {
    await testSql(db.storage, 'drop table scale_out_probe');
  }
});

it.run();
