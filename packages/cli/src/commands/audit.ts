/**
 * `calicritters audit`: the admin audit log of a running server, newest first, through its admin API (the log is
 * written by the server, so the CLI never reads it from the database).
 */
import type { AdminApiClient, AuditEntry, AuditQuery } from '../admin-api-client.js';
import { CliError } from '../cli-error.js';

export interface AuditOptions {
  /** `experiment:<key>`, `funnel:<name>`, or a kind alone (`holdout`). */
  entity?: string;
  /** Entries to show, newest first (default 20, at most 200). */
  limit?: number;
}

/** `experiment:paywall` → the query filters; exit code 2 for a malformed value. */
export function entityFilter(entity: string | undefined): Pick<AuditQuery, 'entity_kind' | 'entity_key'> {
  if (entity === undefined) return {};
  const [kind = '', ...rest] = entity.split(':');
  const key = rest.join(':');
  if (!/^[a-z][a-z0-9_]{0,31}$/.test(kind) || (rest.length > 0 && key === '')) {
    throw new CliError(`--entity takes kind:key, e.g. experiment:paywall_copy, or a kind alone (got '${entity}')`, 2);
  }
  return rest.length ? { entity_kind: kind, entity_key: key } : { entity_kind: kind };
}

/** One page of the log. */
export async function auditLog(
  client: Pick<AdminApiClient, 'audit'>,
  options: AuditOptions = {},
): Promise<AuditEntry[]> {
  const limit = options.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw new CliError('--limit must be an integer from 1 to 200', 2);
  const page = await client.audit.list({ ...entityFilter(options.entity), limit });
  return page.entries;
}

/** The top-level fields a change touched (`coverage, status`); `updated_at` is left out, every change moves it. */
export function changedFields(entry: Pick<AuditEntry, 'diff'>): string[] {
  const fields = entry.diff.map((d) => d.path.split('/')[1] ?? '').filter((f) => f && f !== 'updated_at');
  return [...new Set(fields)];
}

/** One line per entry: time, actor, action, entity, changed fields. */
export function formatAudit(entries: readonly AuditEntry[]): string {
  if (entries.length === 0) return 'No audit entries.';
  return entries
    .map((e) => {
      const entity = e.entity_key ? `${e.entity_kind}:${e.entity_key}` : e.entity_kind;
      const fields = e.action === 'create' ? '' : changedFields(e).join(', ');
      return [e.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), e.actor, e.action, entity, fields]
        .filter(Boolean)
        .join('  ');
    })
    .join('\n');
}
