/**
 * The metric catalog: named metrics experiments are analysed on. Parameterised SQL like the saved-group store: few
 * rows, written by the admin API, read whole by the metrics rollup job and the results endpoint.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { MetricCapping, MetricFilter, MetricRecord } from '@ab-calicritters/core';
import { ArchivedError } from './archived-error.js';
import { rawQuery } from './raw-query.js';
import { inTransaction } from './transaction.js';
import { DuplicateKeyError } from './unique-flush.js';

/** A metric as stored: checked before it gets here, defaults filled in. */
export type MetricInput = Omit<MetricRecord, 'status' | 'created_at' | 'updated_at' | 'archived_at'>;

interface MetricRow {
  key: string;
  name: string | null;
  description: string | null;
  kind: MetricRecord['kind'];
  event: string | null;
  filter: unknown;
  property: string | null;
  numerator: string | null;
  denominator: string | null;
  window_hours: number | null;
  capping: unknown;
  direction: MetricRecord['direction'];
  cuped_lookback_days: number;
  status: MetricRecord['status'];
  created_at: unknown;
  updated_at: unknown;
  archived_at: unknown;
}

const iso = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();
const json = <T>(value: unknown): T | null =>
  value === null || value === undefined ? null : ((typeof value === 'string' ? JSON.parse(value) : value) as T);

function toRecord(row: MetricRow): MetricRecord {
  return {
    key: row.key,
    name: row.name ?? null,
    description: row.description ?? null,
    kind: row.kind,
    event: row.event ?? null,
    filter: json<MetricFilter>(row.filter),
    property: row.property ?? null,
    numerator: row.numerator ?? null,
    denominator: row.denominator ?? null,
    window_hours: row.window_hours === null ? null : Number(row.window_hours),
    capping: json<MetricCapping>(row.capping),
    direction: row.direction,
    cuped_lookback_days: Number(row.cuped_lookback_days),
    status: row.status,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    archived_at: row.archived_at ? iso(row.archived_at) : null,
  };
}

const COLUMNS = `key, name, description, kind, event, filter, property, numerator, denominator, window_hours, capping,
  direction, cuped_lookback_days, status, created_at, updated_at, archived_at`;

const values = (m: MetricInput) => [
  m.name,
  m.description,
  m.kind,
  m.event,
  m.filter ? JSON.stringify(m.filter) : null,
  m.property,
  m.numerator,
  m.denominator,
  m.window_hours,
  m.capping ? JSON.stringify(m.capping) : null,
  m.direction,
  m.cuped_lookback_days,
];

/** One row of experiment_catalog_rollups, numbers as numbers. */
export interface CatalogRollupRow {
  variant: string;
  metric_key: string;
  exposed_users: number;
  value_sum: number;
  value_sum_squares: number;
  den_sum: number;
  den_sum_squares: number;
  value_den_sum_of_products: number;
  pre_sum: number;
  pre_sum_squares: number;
  value_pre_sum_of_products: number;
  window_start: string;
  window_end: string;
  computed_at: string;
}

/** One row of experiment_catalog_daily_rollups: the sums over the users first exposed on `day` (UTC, YYYY-MM-DD). */
export interface CatalogDailyRollupRow extends CatalogRollupRow {
  day: string;
}

/** The summed columns of a metrics rollup row, window or day: each adds up over disjoint sets of users. */
export const ROLLUP_NUMBERS = [
  'exposed_users',
  'value_sum',
  'value_sum_squares',
  'den_sum',
  'den_sum_squares',
  'value_den_sum_of_products',
  'pre_sum',
  'pre_sum_squares',
  'value_pre_sum_of_products',
] as const;

function toRollupRow(r: Record<string, unknown>): CatalogRollupRow {
  const numbers = Object.fromEntries(ROLLUP_NUMBERS.map((column) => [column, Number(r[column])]));
  return {
    ...numbers,
    variant: String(r.variant),
    metric_key: String(r.metric_key),
    window_start: iso(r.window_start),
    window_end: iso(r.window_end),
    computed_at: iso(r.computed_at),
  } as CatalogRollupRow;
}

export function createMetricStore(fork: () => EntityManager) {
  return {
    /** By key; archived metrics only with `includeArchived`. */
    async list({ includeArchived = false }: { includeArchived?: boolean } = {}): Promise<MetricRecord[]> {
      const rows = await rawQuery<MetricRow>(
        fork(),
        `select ${COLUMNS} from metrics ${includeArchived ? '' : `where status = 'active'`} order by key`,
      );
      return rows.map(toRecord);
    },

    async get(key: string): Promise<MetricRecord | null> {
      const [row] = await rawQuery<MetricRow>(fork(), `select ${COLUMNS} from metrics where key = ?`, [key]);
      return row ? toRecord(row) : null;
    },

    /** Several by key (archived too), for checking references and computing results. */
    async getMany(keys: readonly string[]): Promise<MetricRecord[]> {
      if (keys.length === 0) return [];
      const rows = await rawQuery<MetricRow>(
        fork(),
        `select ${COLUMNS} from metrics where key = any(?::text[]) order by key`,
        // Keys match KEY_PATTERN: no commas, braces or quotes to escape in the array literal.
        [`{${keys.join(',')}}`],
      );
      return rows.map(toRecord);
    },

    /** @throws {DuplicateKeyError} when a metric with this key exists (archived ones too). */
    async create(input: MetricInput): Promise<MetricRecord> {
      const [row] = await rawQuery<MetricRow>(
        fork(),
        `insert into metrics (key, name, description, kind, event, filter, property, numerator, denominator,
                              window_hours, capping, direction, cuped_lookback_days)
         values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::jsonb, ?, ?)
         on conflict (key) do nothing
         returning ${COLUMNS}`,
        [input.key, ...values(input)],
      );
      if (!row) throw new DuplicateKeyError(input.key);
      return toRecord(row);
    },

    /**
     * Replaces the definition; returns null when the key does not exist.
     * @throws {ArchivedError} when the metric is archived: it no longer changes.
     */
    replace(input: MetricInput): Promise<MetricRecord | null> {
      return inTransaction(fork(), async (em) => {
        const [current] = await rawQuery<{ status: string }>(
          em,
          'select status from metrics where key = ? for update',
          [input.key],
        );
        if (!current) return null;
        if (current.status === 'archived') throw new ArchivedError('metric', input.key);
        const [row] = await rawQuery<MetricRow>(
          em,
          `update metrics set name = ?, description = ?, kind = ?, event = ?, filter = ?::jsonb, property = ?,
                  numerator = ?, denominator = ?, window_hours = ?, capping = ?::jsonb, direction = ?,
                  cuped_lookback_days = ?, updated_at = now()
            where key = ? returning ${COLUMNS}`,
          [...values(input), input.key],
        );
        return row ? toRecord(row) : null;
      });
    },

    /** Sets the status `archived`; archiving twice changes nothing. Returns null when the key does not exist. */
    async archive(key: string): Promise<MetricRecord | null> {
      const [row] = await rawQuery<MetricRow>(
        fork(),
        `update metrics set status = 'archived', archived_at = coalesce(archived_at, now()),
                updated_at = case when status = 'archived' then updated_at else now() end
          where key = ? returning ${COLUMNS}`,
        [key],
      );
      return row ? toRecord(row) : null;
    },

    /** The metrics rollup's rows of one experiment and window length (experiment_catalog_rollups). */
    async rollupRows(experimentKey: string, windowDays: number): Promise<CatalogRollupRow[]> {
      const rows = await rawQuery<Record<string, unknown>>(
        fork(),
        `select variant, metric_key, ${ROLLUP_NUMBERS.join(', ')}, window_start, window_end, computed_at
           from experiment_catalog_rollups where experiment_key = ? and window_days = ?
          order by metric_key, variant`,
        [experimentKey, windowDays],
      );
      return rows.map(toRollupRow);
    },

    /** The same rows split by first-exposure day (experiment_catalog_daily_rollups), oldest day first. */
    async dailyRollupRows(experimentKey: string, windowDays: number): Promise<CatalogDailyRollupRow[]> {
      const rows = await rawQuery<Record<string, unknown>>(
        fork(),
        `select variant, metric_key, to_char(day, 'YYYY-MM-DD') as day, ${ROLLUP_NUMBERS.join(', ')}, window_start,
                window_end, computed_at
           from experiment_catalog_daily_rollups where experiment_key = ? and window_days = ?
          order by metric_key, variant, day`,
        [experimentKey, windowDays],
      );
      return rows.map((r) => ({ ...toRollupRow(r), day: String(r.day) }));
    },

    /** Active ratio metrics naming `key` as numerator or denominator. */
    async ratiosUsing(key: string): Promise<string[]> {
      const rows = await rawQuery<{ key: string }>(
        fork(),
        `select key from metrics where kind = 'ratio' and status = 'active' and (numerator = ? or denominator = ?)
          order by key`,
        [key, key],
      );
      return rows.map((r) => r.key);
    },
  };
}
