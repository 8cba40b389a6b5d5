/**
 * What the endpoint fuzz tests check after each request, apart from the status: what /v1/events stored, whether a
 * write stored what it was sent, and whether any built-in prototype gained a key.
 */
import * as assert from 'uvu/assert';
import { rawQuery } from '../../src/storage/raw-query.js';
import type { TestDatabase } from '../../src/testing.js';
import { bodyBytes, type FuzzReply, type FuzzRequest } from './fuzz-requests.js';
import { storageOrm } from '../../src/testing.js';

export const sql = <T>(db: TestDatabase, query: string, params: Array<string | number> = []) =>
  rawQuery<T>(storageOrm(db.storage).em.fork(), query, params);

export const count = async (db: TestDatabase, table: 'event_logs' | 'assignments') =>
  Number((await sql<{ n: string | number }>(db, `select count(*) as n from ${table}`))[0]?.n);

/** The body as the server parses it (invalid UTF-8 decoded as U+FFFD, as raw-body does); undefined if not JSON. */
export function parsedBody(req: FuzzRequest): unknown {
  const bytes = bodyBytes(req);
  if (!bytes) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function parseJson(reply: FuzzReply): any {
  try {
    return JSON.parse(reply.text);
  } catch {
    return undefined;
  }
}

/** JSON with sorted keys, so jsonb's key order does not matter; -0 and 0 print alike. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const object = value as Record<string, unknown>;
  return `{${Object.keys(object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(object[k])}`)
    .join(',')}}`;
}

// ── prototype pollution ────────────────────────────────────────────────────────────────────────────────────────

const ownKeys = (o: object) => Reflect.ownKeys(o).map(String).sort().join(',');
const prototypes = {
  Object: Object.prototype,
  Array: Array.prototype,
  Function: Function.prototype,
  String: String.prototype,
};
const cleanPrototypes = Object.fromEntries(Object.entries(prototypes).map(([name, proto]) => [name, ownKeys(proto)]));

export function assertNoPollution(where: string) {
  for (const [name, proto] of Object.entries(prototypes))
    assert.is(ownKeys(proto), cleanPrototypes[name], `${name}.prototype changed after ${where}`);
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'status', 'isAdmin', 'a', 'd'])
    assert.is(probe[key], undefined, `({}).${key} is set after ${where}`);
}

// ── /v1/events ─────────────────────────────────────────────────────────────────────────────────────────────────

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface StoredEvent {
  id: string;
  user_id: string;
  day: string;
  name: string;
  properties: unknown;
}

/** A row's key: one event id may be stored for other users or days (shrinking replays ids a run stored before). */
const rowKey = (r: StoredEvent) => `${r.id} ${r.user_id} ${r.day}`;

async function storedEvents(db: TestDatabase, ids: string[]): Promise<StoredEvent[]> {
  if (ids.length === 0) return [];
  return sql<StoredEvent>(
    db,
    `select event_id::text as id, user_id, event_day::text as day, name, properties from event_logs
      where event_id::text in (select jsonb_array_elements_text(?::jsonb))`,
    [JSON.stringify(ids)],
  );
}

export interface EventOutcome {
  accepted: number;
  rejected: number;
  /** Accepted events whose stored user_id, name or properties differ from what was sent. */
  mismatches: string[];
}

/**
 * Looks before the request, returns the check for after it. Nothing is stored on a refusal or from a rejected event;
 * on 200 the accepted events, and only they, are new rows, once each. Fields stored differently come back as
 * mismatches rather than failures, so the run goes on (they are asserted at the end).
 */
export async function observeEvents(db: TestDatabase, req: FuzzRequest) {
  const body = parsedBody(req) as { events?: unknown } | undefined;
  const events =
    body && typeof body === 'object' && Array.isArray(body.events)
      ? (body.events as Array<Record<string, unknown>>)
      : undefined;
  const idOf = (e: unknown) => {
    const id = (e as { event_id?: unknown } | null)?.event_id;
    return typeof id === 'string' && UUID.test(id) ? id.toLowerCase() : undefined;
  };
  const ids = [...new Set((events ?? []).map(idOf).filter((id): id is string => id !== undefined))];
  const total = await count(db, 'event_logs');
  const before = await storedEvents(db, ids);

  return async (reply: FuzzReply, what: string): Promise<EventOutcome> => {
    const after = await storedEvents(db, ids);
    const delta = (await count(db, 'event_logs')) - total;
    const outcome: EventOutcome = { accepted: 0, rejected: 0, mismatches: [] };
    if (reply.status !== 200) {
      assert.is(delta, 0, `${what}: a refused request stored ${delta} events`);
      return outcome;
    }
    assert.ok(events, `${what}: 200 for a body without an events array`);
    const answer = parseJson(reply) as {
      accepted: number;
      duplicates: number;
      rejected: Array<{ index: number; errors: string[] }>;
    };
    assert.ok(
      Number.isInteger(answer.accepted) && Number.isInteger(answer.duplicates) && Array.isArray(answer.rejected),
      `${what}: ${reply.text}`,
    );
    assert.is(
      answer.accepted + answer.duplicates + answer.rejected.length,
      events.length,
      `${what}: accepted + duplicates + rejected ≠ events`,
    );
    assert.is(delta, answer.accepted, `${what}: ${answer.accepted} accepted but ${delta} rows stored`);
    answer.rejected.forEach((r, i) => {
      assert.ok(
        Number.isInteger(r.index) && r.index >= 0 && r.index < events.length,
        `${what}: rejected index ${r.index}`,
      );
      assert.ok(i === 0 || r.index > answer.rejected[i - 1]!.index, `${what}: rejected indexes not increasing`);
      assert.ok(
        Array.isArray(r.errors) && r.errors.length > 0 && r.errors.every((e) => typeof e === 'string'),
        `${what}: rejection without errors`,
      );
    });
    const rejected = new Set(answer.rejected.map((r) => r.index));
    const rowsOf = (rows: StoredEvent[], id: string) => rows.filter((r) => r.id === id);
    const firstKept = new Map<string, Record<string, unknown>>();
    events.forEach((event, index) => {
      const id = idOf(event);
      if (id && !rejected.has(index) && !firstKept.has(id)) firstKept.set(id, event);
    });
    events.forEach((event, index) => {
      const id = idOf(event);
      if (id && rejected.has(index) && !firstKept.has(id)) {
        assert.is(
          rowsOf(after, id).length,
          rowsOf(before, id).length,
          `${what}: rejected event ${index} (${id}) was stored`,
        );
      }
    });
    let newRows = 0;
    for (const [id, event] of firstKept) {
      const added = after.filter((r) => r.id === id && !before.some((b) => rowKey(b) === rowKey(r)));
      assert.ok(rowsOf(after, id).length >= 1, `${what}: accepted event ${id} is not stored`);
      assert.ok(added.length <= 1, `${what}: event ${id} stored ${added.length} times`);
      newRows += added.length;
      const row = added[0];
      if (!row) continue;
      const properties = typeof row.properties === 'string' ? JSON.parse(row.properties) : row.properties;
      for (const [field, stored, sent] of [
        ['user_id', row.user_id, event.user_id],
        ['name', row.name, event.name],
        ['properties', properties, event.properties ?? {}],
      ] as const) {
        if (canonical(stored) !== canonical(sent))
          outcome.mismatches.push(`event ${field} sent ${canonical(sent)}, stored ${canonical(stored)}`);
      }
    }
    assert.is(newRows, answer.accepted, `${what}: new rows for the batch's ids ≠ accepted`);
    return { ...outcome, accepted: answer.accepted, rejected: answer.rejected.length };
  };
}

// ── admin writes ───────────────────────────────────────────────────────────────────────────────────────────────

/** How a definition written with 2xx differs from its answer or from the fields sent ([] when it does not). */
export async function definitionMismatches(
  db: TestDatabase,
  funnel: boolean,
  req: FuzzRequest,
  reply: FuzzReply,
): Promise<string[]> {
  const record = parseJson(reply) as Record<string, unknown>;
  const id = String(funnel ? record.name : record.key);
  const stored = (funnel ? await db.storage.funnels.get(id) : await db.storage.experiments.get(id)) as Record<
    string,
    unknown
  > | null;
  assert.ok(stored, `${req.method} ${req.target}: answered ${reply.status} but '${id}' is not stored`);
  const problems: string[] = [];
  if (req.method === 'DELETE') {
    // An archive reads no body: what it stores is the archived state.
    const archived = funnel ? typeof stored.archived_at === 'string' : stored.status === 'archived';
    if (!archived) problems.push(`archive answered ${reply.status} but '${id}' is not archived`);
  }
  const sent = req.method === 'DELETE' ? {} : (parsedBody(req) as Record<string, unknown>);
  for (const [field, value] of Object.entries(sent)) {
    if (canonical(stored[field]) !== canonical(value))
      problems.push(`${field} sent ${canonical(value)}, stored ${canonical(stored[field])}`);
  }
  for (const field of new Set([...Object.keys(record), ...Object.keys(stored)])) {
    if (canonical(stored[field]) !== canonical(record[field]))
      problems.push(`${field} answered ${canonical(record[field])}, stored ${canonical(stored[field])}`);
  }
  return problems;
}

/**
 * How an override, holdout or saved group written with 2xx differs from its answer ([] when it does not): the
 * answer is what is stored. (What was sent is normalised on the way, e.g. a holdout's repeated experiment keys, so the answer is the
 * reference; the HTTP tests check the normalisation.)
 */
export async function ruleMismatches(db: TestDatabase, req: FuzzRequest, reply: FuzzReply): Promise<string[]> {
  const record = parseJson(reply) as Record<string, unknown>;
  let stored: unknown;
  if (typeof record.user_id === 'string') {
    const all = await db.storage.overrides.list(String(record.experiment_key), {
      includeExpired: true,
      now: new Date(),
    });
    const row = all.find((o) => o.user_id === record.user_id);
    stored =
      req.method === 'DELETE'
        ? row
        : row && {
            ...record,
            variant: row.variant,
            expires_at: row.expires_at?.toISOString() ?? null,
            note: row.note,
            updated_at: row.updated_at.toISOString(),
          };
    if (req.method === 'DELETE')
      return stored ? [`override of '${String(record.user_id)}' answered removed, still stored`] : [];
  } else if (new URL(req.target, 'http://x').pathname.startsWith('/v1/admin/saved-groups')) {
    stored = await db.storage.savedGroups.get(String(record.key));
    // A deleted group is gone (the answer is what was removed).
    if (req.method === 'DELETE')
      return stored ? [`saved group '${String(record.key)}' answered deleted, still stored`] : [];
  } else if (new URL(req.target, 'http://x').pathname.startsWith('/v1/admin/metrics')) {
    stored = await db.storage.metrics.get(String(record.key));
  } else {
    stored = await db.storage.holdouts.get(String(record.key));
  }
  return canonical(stored) === canonical(record) ? [] : [`answered ${canonical(record)}, stored ${canonical(stored)}`];
}
