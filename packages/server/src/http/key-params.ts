/**
 * Experiment keys and funnel names from the path or the query string, checked before they reach a query: a key
 * that cannot exist is a 400 naming the parameter, and a NUL (`%00`) never reaches PostgreSQL, which refuses it
 * with a protocol error.
 */
import type { Context } from 'koa';
import { KEY_PATTERN, LIMITS } from '@ab-calicritters/core';
import { badRequest } from './http-error.js';

const KEY = new RegExp(KEY_PATTERN);
const shown = (text: string) => JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);

function checked(text: string, field: string, where: 'path' | 'query'): string {
  if (text.length <= LIMITS.maxKeyLength && KEY.test(text)) return text;
  const message = `must be a key of 1..${LIMITS.maxKeyLength} letters, digits and _ . : - (got ${shown(text)})`;
  throw badRequest(where === 'path' ? 'invalid_path' : 'invalid_query', `${field} ${message}`, [{ field, message }]);
}

/** A key path parameter such as `/experiments/:key`. */
export function keyParam(ctx: Context, name: string): string {
  return checked((ctx.params as Record<string, string | undefined>)[name] ?? '', name, 'path');
}

/** An optional key query parameter (first value when repeated); undefined when absent or empty. */
export function keyQuery(ctx: Context, name: string): string | undefined {
  const raw = ctx.query[name];
  const text = Array.isArray(raw) ? raw[0] : raw;
  return text === undefined || text === '' ? undefined : checked(text, name, 'query');
}
