/**
 * Day partitions of event_logs (PostgreSQL; see migration 0005): makes the partitions of the days ahead, gives a day
 * that collected rows in the DEFAULT partition a partition of its own (moving the rows), and with a retention drops
 * whole partitions of days past it. On a plain table (PGlite) retention deletes the old rows instead. One run at a
 * time across servers: an advisory lock, and a run that finds it taken does nothing.
 */
import type { EntityManager } from '@mikro-orm/core';
import { rawQuery } from './raw-query.js';
import { inTransaction } from './transaction.js';

/** Advisory-lock key of partition maintenance (next to the rollup jobs' 720_001…). */
const PARTITIONS_LOCK_KEY = 720_101;
/** Days a run makes ahead by default, today included after it. */
export const DEFAULT_PARTITION_DAYS_AHEAD = 7;
/**
 * How long a run waits for a table lock before giving up until the next run. Making or dropping a partition needs a
 * lock that long reads (a rollup) hold; while a run waits, inserts queue behind it, so it must not wait long.
 */
const MAINTENANCE_LOCK_TIMEOUT_MS = 3000;

export interface EventPartitionOptions {
  /** Days after today to make partitions for (default {@link DEFAULT_PARTITION_DAYS_AHEAD}; 0: today only). */
  daysAhead?: number;
  /**
   * Keep events of the last `retentionDays` UTC days, today included; older days are dropped (a whole partition at
   * a time). 0 or absent (default): keep everything.
   */
  retentionDays?: number;
  /** Reference time (default: now); the days are UTC days. */
  now?: Date;
}

/** What one maintenance run did. Days are `YYYY-MM-DD`. */
export interface EventPartitionResult {
  /** `partitioned`: PostgreSQL's day partitions; `plain`: one table (PGlite). */
  table: 'partitioned' | 'plain';
  /** False when another run held the lock: this one did nothing. */
  ran: boolean;
  /** Days that got a partition. */
  created: string[];
  /** Rows moved out of the DEFAULT partition into their day's new partition. */
  moved_rows: number;
  /** Days whose partition was dropped for retention. */
  dropped: string[];
  /** Rows deleted for retention outside dropped partitions (the DEFAULT partition, or the plain table). */
  deleted_rows: number;
}

/** A partition and the days it covers, `[from, to)`; the DEFAULT partition has neither. */
interface Partition {
  name: string;
  from?: string;
  to?: string;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Refuses what is not a whole number of days in range, naming the option. */
export function checkEventPartitionOptions(options: EventPartitionOptions): void {
  const { daysAhead = DEFAULT_PARTITION_DAYS_AHEAD, retentionDays = 0 } = options;
  if (!Number.isInteger(daysAhead) || daysAhead < 0 || daysAhead > 366)
    throw new Error(`eventPartitions.daysAhead must be an integer from 0 to 366 (got ${daysAhead})`);
  if (!Number.isInteger(retentionDays) || retentionDays < 0 || retentionDays > 36_600)
    throw new Error(
      `eventPartitions.retentionDays must be an integer ≥ 0, 0 keeping everything (got ${retentionDays})`,
    );
}

/** `FOR VALUES FROM ('2026-11-30') TO ('2026-12-01')` → its days; `DEFAULT` → none. */
function parseBound(name: string, bound: string): Partition {
  const range = /FROM \('(\d{4}-\d{2}-\d{2})'\) TO \('(\d{4}-\d{2}-\d{2})'\)/.exec(bound);
  return range ? { name, from: range[1], to: range[2] } : { name };
}

/** Partition table name of a day: `event_logs_p20261130`. */
const partitionName = (day: string) => `event_logs_p${day.replaceAll('-', '')}`;

async function partitionsOf(em: EntityManager): Promise<Partition[] | undefined> {
  const [table] = await rawQuery<{ kind: string }>(
    em,
    `select relkind::text as kind from pg_class where oid = to_regclass('event_logs')`,
  );
  if (table?.kind !== 'p') return undefined;
  const rows = await rawQuery<{ name: string; bound: string }>(
    em,
    `select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
       from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'event_logs'::regclass`,
  );
  return rows.map((r) => parseBound(r.name, r.bound));
}

/** Makes day's partition, moving the rows the DEFAULT partition holds for it; resolves how many moved. */
async function createDayPartition(em: EntityManager, defaultName: string | undefined, day: string): Promise<number> {
  const name = partitionName(day);
  const next = isoDay(dayMs(day) + DAY_MS);
  // PostgreSQL refuses to attach a range the DEFAULT partition has rows of: the rows move first, into the table that
  // is about to become the partition. Attaching builds its indexes (key included) after the rows are in.
  await rawQuery(em, `create table ${name} (like event_logs including defaults including constraints)`);
  let moved = 0;
  if (defaultName) {
    const rows = await rawQuery<{ n: number }>(
      em,
      `with moved as (delete from ${defaultName} where event_day = ?::date returning *),
            kept as (insert into ${name} select * from moved returning 1)
       select count(*)::int as n from kept`,
      [day],
    );
    moved = Number(rows[0]?.n ?? 0);
  }
  await rawQuery(em, `alter table event_logs attach partition ${name} for values from ('${day}') to ('${next}')`);
  return moved;
}

/** Deletes `table`'s rows of days before `day`; resolves how many. */
async function deleteOlder(em: EntityManager, table: string, day: string): Promise<number> {
  const [row] = await rawQuery<{ n: number }>(
    em,
    `with deleted as (delete from ${table} where event_day < ?::date returning 1) select count(*)::int as n from deleted`,
    [day],
  );
  return Number(row?.n ?? 0);
}

/** One maintenance run over `em`'s database, in one transaction. */
async function maintain(em: EntityManager, options: EventPartitionOptions): Promise<EventPartitionResult> {
  const daysAhead = options.daysAhead ?? DEFAULT_PARTITION_DAYS_AHEAD;
  const retentionDays = options.retentionDays ?? 0;
  const today = dayMs(isoDay((options.now ?? new Date()).getTime()));
  // The oldest day kept: retention N keeps today and the N − 1 days before it.
  const keepFrom = retentionDays > 0 ? isoDay(today - (retentionDays - 1) * DAY_MS) : undefined;
  return inTransaction(em, async (trx) => {
    const result: EventPartitionResult = {
      table: 'plain',
      ran: false,
      created: [],
      moved_rows: 0,
      dropped: [],
      deleted_rows: 0,
    };
    const [lock] = await rawQuery<{ ok: boolean }>(trx, 'select pg_try_advisory_xact_lock(?) as ok', [
      PARTITIONS_LOCK_KEY,
    ]);
    if (!lock?.ok) return result;
    result.ran = true;
    await rawQuery(trx, `select set_config('lock_timeout', ?, true)`, [String(MAINTENANCE_LOCK_TIMEOUT_MS)]);
    const partitions = await partitionsOf(trx);
    if (!partitions) {
      if (keepFrom) {
        result.deleted_rows = await deleteOlder(trx, 'event_logs', keepFrom);
      }
      return result;
    }
    result.table = 'partitioned';
    // Inserts wait from here to the commit (reads go on): a batch can neither land in the DEFAULT partition between
    // moving its day's rows out and attaching the day's partition, nor race a move with a retried copy of an event.
    await rawQuery(trx, 'lock table event_logs in share row exclusive mode');
    const defaultName = partitions.find((p) => p.from === undefined)?.name;
    const covered = (day: string) => partitions.some((p) => p.from && p.to && p.from <= day && day < p.to);

    if (keepFrom) {
      // Only a partition whose every day is older than the first kept day goes: its upper bound is exclusive.
      for (const p of partitions.filter((p) => p.to && p.to <= keepFrom)) {
        await rawQuery(trx, `drop table ${p.name}`);
        result.dropped.push(p.from as string);
      }
      if (defaultName) {
        result.deleted_rows = await deleteOlder(trx, defaultName, keepFrom);
      }
    }

    const wanted = new Set<string>();
    for (let d = 0; d <= daysAhead; d++) wanted.add(isoDay(today + d * DAY_MS));
    if (defaultName) {
      // Days that collected rows in the DEFAULT partition get their own partition too (late or early events).
      const days = await rawQuery<{ day: string }>(
        trx,
        `select distinct to_char(event_day, 'YYYY-MM-DD') as day from ${defaultName}`,
      );
      for (const { day } of days) wanted.add(day);
    }
    for (const day of [...wanted].sort()) {
      if (covered(day) || (keepFrom && day < keepFrom)) continue;
      result.moved_rows += await createDayPartition(trx, defaultName, day);
      result.created.push(day);
    }
    result.dropped.sort();
    return result;
  });
}

/** Partition maintenance over storage's database; `fork` gives a fresh EntityManager. */
export function createEventPartitionStore(fork: () => EntityManager) {
  return {
    /**
     * Makes the partitions of the days ahead, moves DEFAULT-partition rows into their days' new partitions and
     * applies the retention. Resolves `ran: false` when another server is doing it right now.
     */
    maintain: (options: EventPartitionOptions = {}) => {
      checkEventPartitionOptions(options);
      return maintain(fork(), options);
    },
  };
}
