/** The operator names of GrowthBook's condition syntax, shared by evaluation and validation. */

/** Operators that combine whole conditions: `{ $or: [{ country: 'CA' }, { country: 'US' }] }`. */
export const LOGICAL_OPERATORS = ['$and', '$or', '$nor', '$not'] as const;

/** Operators applied to one attribute's value: `{ age: { $gte: 18 } }`. */
export const VALUE_OPERATORS = [
  '$eq',
  '$ne',
  '$lt',
  '$lte',
  '$gt',
  '$gte',
  '$veq',
  '$vne',
  '$vgt',
  '$vgte',
  '$vlt',
  '$vlte',
  '$exists',
  '$type',
  '$in',
  '$nin',
  '$ini',
  '$nini',
  '$all',
  '$alli',
  '$elemMatch',
  '$size',
  '$regex',
  '$regexi',
  '$not',
  '$inGroup',
  '$notInGroup',
] as const;

/** The names `$type` accepts. */
export const TYPE_NAMES = ['string', 'number', 'boolean', 'object', 'array', 'null', 'undefined'] as const;

/** A plain (non-array) object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An object whose keys all start with `$`: `{ $gt: 1 }` holds operators, `{ a: 1 }` is a literal to compare. */
export function isOperatorObject(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}
