/**
 * The answer to a POST that created a definition in a collection: 201, the stored record, and its URL in `Location`
 * (the audit log reads the created key back from that header).
 */
import type { Context } from 'koa';

/** Answers 201 with the record, `Location` being the collection's path and the key. */
export function respondCreated(ctx: Context, key: string, record: unknown): void {
  ctx.status = 201;
  ctx.set('Location', `${ctx.path}/${encodeURIComponent(key)}`);
  ctx.body = record;
}
