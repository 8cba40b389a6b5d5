/**
 * The admin audit log: rows appended after each successful admin change and read back newest first, a page at a
 * time. Parameterised SQL rather than an entity: rows are written once and read as wire objects.
 */
import type { EntityManager } from '@mikro-orm/core';
import { rawQuery, type SqlValue } from './raw-query.js';

/** One path that differs between an entity's state before and after a change (a JSON pointer: `/variants/1/weight`). */
export interface AuditDiffEntry {
  path: string;
  op: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

/** What the audit middleware records of one change. */
export interface NewAuditEntry {
  actor: string;
  method: string;
  path: string;
  entity_kind: string;
  entity_key: string | null;
  action: string;
  before: unknown;
  after: unknown;
  diff: AuditDiffEntry[];
  request_id: string | null;
}

/** A stored entry, as `GET /v1/admin/audit` returns it. */
export interface AuditEntry extends NewAuditEntry {
  id: number;
  /** When the change was recorded (ISO 8601, UTC). */
  at: string;
}

/** Filters of {@link AuditStore.list}; every one given must match. */
export interface AuditFilter {
  /** Entries older than this id only (the cursor of the next page). */
  beforeId?: number;
  /** Any of these kinds. */
  entityKinds?: readonly string[];
  entityKey?: string;
  actor?: string;
  /** At or after this time. */
  since?: Date;
  /** Before this time. */
  until?: Date;
  /** At most this many, newest first. */
  limit: number;
}

const iso = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();
const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
const asJson = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

function toEntry(row: Record<string, unknown>): AuditEntry {
  return {
    id: Number(row.id),
    at: iso(row.at),
    actor: String(row.actor),
    method: String(row.method),
    path: String(row.path),
    entity_kind: String(row.entity_kind),
    entity_key: row.entity_key == null ? null : String(row.entity_key),
    action: String(row.action),
    before: json(row.before) ?? null,
    after: json(row.after) ?? null,
    diff: (json(row.diff) as AuditDiffEntry[] | null) ?? [],
    request_id: row.request_id == null ? null : String(row.request_id),
  };
}

const COLUMNS = `id, at, actor, method, path, entity_kind, entity_key, action, before, after, diff, request_id`;

/** The `storage.audit` facade over `admin_audit_log`. */
export function createAuditStore(fork: () => EntityManager) {
  return {
    /** Appends one entry; resolves it with its id and time. */
    async append(entry: NewAuditEntry): Promise<AuditEntry> {
      const [row] = await rawQuery<Record<string, unknown>>(
        fork(),
        `insert into admin_audit_log (actor, method, path, entity_kind, entity_key, action, before, after, diff, request_id)
         values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?)
         returning ${COLUMNS}`,
        [
          entry.actor,
          entry.method,
          entry.path,
          entry.entity_kind,
          entry.entity_key,
          entry.action,
          asJson(entry.before),
          asJson(entry.after),
          JSON.stringify(entry.diff),
          entry.request_id,
        ],
      );
      return toEntry(row!);
    },

    /** Entries matching `filter`, newest first. */
    async list(filter: AuditFilter): Promise<AuditEntry[]> {
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (filter.beforeId !== undefined) {
        where.push('id < ?');
        params.push(filter.beforeId);
      }
      if (filter.entityKinds?.length) {
        // One jsonb parameter for the list, so the same SQL runs on pg and PGlite.
        where.push('entity_kind in (select jsonb_array_elements_text(?::jsonb))');
        params.push(JSON.stringify(filter.entityKinds));
      }
      if (filter.entityKey !== undefined) {
        where.push('entity_key = ?');
        params.push(filter.entityKey);
      }
      if (filter.actor !== undefined) {
        where.push('actor = ?');
        params.push(filter.actor);
      }
      if (filter.since) {
        where.push('at >= ?');
        params.push(filter.since);
      }
      if (filter.until) {
        where.push('at < ?');
        params.push(filter.until);
      }
      params.push(filter.limit);
      const rows = await rawQuery<Record<string, unknown>>(
        fork(),
        `select ${COLUMNS} from admin_audit_log ${where.length ? `where ${where.join(' and ')}` : ''}
          order by id desc limit ?`,
        params,
      );
      return rows.map(toEntry);
    },
  };
}

/** The audit log's store (`storage.audit`). */
export type AuditStore = ReturnType<typeof createAuditStore>;
