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

/** A boolean query parameter, `true` or `false` (first value when repeated); `false` when absent. */
export function booleanParam(ctx: Context, name: string): boolean {
  const raw = ctx.query[name];
  if (raw === undefined) return false;
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw badRequest('invalid_query', `${name} must be true or false`, [
    { field: name, message: `must be true or false (got '${String(text).slice(0, 64)}')` },
  ]);
}

/** One of `values` (first value when repeated), or `fallback` when absent. */
export function enumParam<T extends string>(ctx: Context, name: string, values: readonly T[], fallback: T): T {
  const raw = ctx.query[name];
  if (raw === undefined) return fallback;
  const text = Array.isArray(raw) ? raw[0] : raw;
  const found = values.find((v) => v === text);
  if (found !== undefined) return found;
  const list = values.map((v) => `'${v}'`).join(', ');
  throw badRequest('invalid_query', `${name} must be one of ${list}`, [
    { field: name, message: `must be one of ${list} (got '${String(text).slice(0, 64)}')` },
  ]);
}

/** A non-zero number query parameter with |value| ≤ `maxMagnitude` (first value when repeated), or null when absent. */
export function nonZeroNumberParam(ctx: Context, name: string, maxMagnitude: number): number | null {
  const raw = ctx.query[name];
  if (raw === undefined) return null;
  const text = Array.isArray(raw) ? raw[0] : raw;
  const value = Number(text);
  if (
    typeof text !== 'string' ||
    text.trim() === '' ||
    !Number.isFinite(value) ||
    value === 0 ||
    Math.abs(value) > maxMagnitude
  ) {
    throw badRequest('invalid_query', `${name} must be a non-zero number from -${maxMagnitude} to ${maxMagnitude}`, [
      {
        field: name,
        message: `must be a non-zero number from -${maxMagnitude} to ${maxMagnitude} (got '${String(text).slice(0, 64)}')`,
      },
    ]);
  }
  return value;
}
