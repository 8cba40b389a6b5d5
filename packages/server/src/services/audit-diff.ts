/**
 * A small structural diff of two JSON values for the audit log: each path (a JSON pointer) whose value was added,
 * removed or changed. Objects are compared key by key and arrays index by index; anything else by value.
 */
import type { AuditDiffEntry } from '../storage/audit-store.js';

const isContainer = (value: unknown): value is Record<string, unknown> | unknown[] =>
  typeof value === 'object' && value !== null;

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function walk(before: unknown, after: unknown, path: string, out: AuditDiffEntry[]): void {
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
    for (const key of keys) {
      const here = `${path}/${escape(key)}`;
      if (!(key in a)) out.push({ path: here, op: 'removed', before: b[key] });
      else if (!(key in b)) out.push({ path: here, op: 'added', after: a[key] });
      else walk(b[key], a[key], here, out);
    }
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path, op: 'changed', before, after });
}

/**
 * The paths that differ between `before` and `after`. A missing side (`null`: nothing before a create, nothing
 * after a delete) counts as an empty object, so a create lists each field as added rather than one change at `''`.
 * @example auditDiff({ coverage: 0.5 }, { coverage: 1 }) // [{ path: '/coverage', op: 'changed', before: 0.5, after: 1 }]
 */
export function auditDiff(before: unknown, after: unknown): AuditDiffEntry[] {
  const out: AuditDiffEntry[] = [];
  walk(before ?? {}, after ?? {}, '', out);
  return out;
}
