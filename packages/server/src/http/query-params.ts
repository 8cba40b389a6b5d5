/** Query-string parsing with 400s that name the parameter. */
import type { Context } from 'koa';
import { badRequest } from './http-error.js';

/** An integer query parameter within [min, max], or `fallback` when absent. */
export function integerParam(ctx: Context, name: string, fallback: number, min: number, max: number): number {
  const raw = ctx.query[name];
  if (raw === undefined) return fallback;
  const text = Array.isArray(raw) ? raw[0] : raw;
  const value = Number(text);
  if (typeof text !== 'string' || !/^\d+$/.test(text) || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest('invalid_query', `${name} must be an integer from ${min} to ${max}`, [
      { field: name, message: `must be an integer from ${min} to ${max} (got '${String(text)}')` },
    ]);
  }
  return value;
}
