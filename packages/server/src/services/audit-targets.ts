/**
 * What an admin route changes, worked out from its path pattern alone, so a new admin route is audited without its
 * author doing anything: `/v1/admin/experiments/:key` changes an `experiment` named by `:key`,
 * `/v1/admin/experiments/:key/overrides/:user_id` an `override` of that experiment, `POST /v1/admin/experiments` creates
 * one, and a trailing word after a key (`/experiments/:key/release`) is an action on that entity. The readers say how
 * to read an entity's current state; kinds without one record the response body as `after` (as `before` for a
 * DELETE, which answers what it removed).
 */
import type { Storage } from '../storage/storage.js';

/** How the audit log reads the current state of one kind of entity, and what a DELETE of it means. */
export interface AuditReader {
  /** The entity's current JSON state, or null when it does not exist. */
  read?(storage: Storage, key: string): Promise<unknown>;
  /** The action recorded for a DELETE (default `delete`). */
  deleteAction?: string;
  /** The action recorded for a POST to the collection (default `create`). */
  createAction?: string;
}

/** The readers by entity kind. A kind not listed here is still audited, with `before: null`. */
export const AUDIT_READERS: Readonly<Record<string, AuditReader>> = {
  experiment: { read: (storage, key) => storage.experiments.get(key), deleteAction: 'archive' },
  funnel: { read: (storage, key) => storage.funnels.get(key), deleteAction: 'archive' },
  holdout: { read: (storage, key) => storage.holdouts.get(key), deleteAction: 'archive' },
  saved_group: { read: (storage, key) => storage.savedGroups.get(key) },
  metric: { read: (storage, key) => storage.metrics.get(key), deleteAction: 'archive' },
  // Operational: a rollup run changes no definition; it is recorded as an action with the round it started.
  rollup: { createAction: 'run' },
};

/** Collection names whose kind is not simply the name without its final `s`. */
const KINDS: Readonly<Record<string, string>> = {
  'saved-groups': 'saved_group',
  saved_groups: 'saved_group',
};

/**
 * Collections of their own that may follow a key (`/experiments/:key/overrides`); any other word after a key or a
 * collection is an action on it (`/experiments/:key/release`), recorded with that entity's before and after.
 */
const NESTED_COLLECTIONS = new Set(['overrides', 'holdouts', 'metrics']);

const kindOf = (collection: string) => KINDS[collection] ?? collection.replace(/s$/, '');

/** What a route pattern below `/v1/admin/` addresses. */
export interface AuditRoute {
  /** `experiment`, `funnel`, `override`, … */
  kind: string;
  /** The path parameter holding the entity key: the first one of the pattern (the key of the outermost entity). */
  keyParam?: string;
  /** True when the pattern ends at a key or a nested item rather than at a collection. */
  onItem: boolean;
  /** A trailing word after a key, e.g. `release` in `/experiments/:key/release`. */
  verb?: string;
}

/** Reads an admin route pattern such as `/v1/admin/experiments/:key`; undefined for paths outside `/v1/admin/`. */
export function auditRoute(pattern: string): AuditRoute | undefined {
  const match = /^\/v1\/admin\/(.+?)\/?$/.exec(pattern);
  if (!match) return undefined;
  const segments = match[1]!.split('/').filter((s) => s !== '');
  let kind = '';
  let keyParam: string | undefined;
  let onItem = false;
  let verb: string | undefined;
  for (const segment of segments) {
    if (segment.startsWith(':')) {
      keyParam ??= segment.slice(1).replace(/\W.*$/, '');
      onItem = true;
      verb = undefined;
    } else if (!kind) {
      kind = kindOf(segment);
    } else if (onItem && NESTED_COLLECTIONS.has(segment)) {
      kind = kindOf(segment);
      onItem = false;
    } else {
      verb = segment;
    }
  }
  return kind ? { kind, keyParam, onItem, verb } : undefined;
}

/** The action recorded for `method` on `route` that answered `status` (a PUT answering 201 created its item). */
export function auditAction(route: AuditRoute, method: string, status = 200): string {
  if (route.verb) return route.verb;
  const reader = AUDIT_READERS[route.kind];
  if (method === 'DELETE') return reader?.deleteAction ?? 'delete';
  if (method === 'POST' && !route.onItem) return reader?.createAction ?? 'create';
  if (method === 'PUT' && status === 201) return 'create';
  return 'update';
}
