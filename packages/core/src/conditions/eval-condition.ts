/**
 * Targeting conditions in GrowthBook's MongoDB-style syntax, evaluated against a user's attributes.
 * Matches GrowthBook's SDK on its spec cases, and never throws: a malformed condition simply does not match.
 */
import { attributeAt } from './attribute-path.js';
import { compilePattern } from './compile-pattern.js';
import { paddedVersionString } from './compare-versions.js';
import { looseCompare, looseNumber, looseString } from './js-coercion.js';
import { isOperatorObject, isPlainObject } from './operators.js';

/** A user's attributes: any JSON object (`{ country: 'CA', app: { version: '3.2.0' } }`). */
export type Attributes = Readonly<Record<string, unknown>>;

/** A targeting condition: `{ country: { $in: ['CA', 'US'] }, 'app.version': { $vgte: '3.2.0' } }`. */
export type Condition = Readonly<Record<string, unknown>>;

/** Saved groups by id, each a list of attribute values, for `$inGroup` and `$notInGroup`. */
export type SavedGroups = Readonly<Record<string, readonly unknown[]>>;

/** Deeper nesting than any valid condition can have (checkCondition refuses far less); stops runaway recursion. */
const MAX_EVAL_DEPTH = 64;

/**
 * Whether the attributes satisfy the condition. An empty condition matches everyone; an unknown operator, an
 * invalid regular expression or a malformed operand matches no one.
 * @example evalCondition({ country: 'CA', app: { version: '3.4.1' } }, { country: 'CA', 'app.version': { $vgte: '3.2' } }) // true
 */
export function evalCondition(attributes: unknown, condition: unknown, savedGroups: SavedGroups = {}): boolean {
  return matches(attributes, condition, savedGroups, 0);
}

function matches(attributes: unknown, condition: unknown, groups: SavedGroups, depth: number): boolean {
  if (!isPlainObject(condition) || depth > MAX_EVAL_DEPTH) return false;
  for (const [key, value] of Object.entries(condition)) {
    switch (key) {
      case '$or':
        if (!anyMatches(attributes, value, groups, depth)) return false;
        break;
      case '$nor':
        // As in GrowthBook, an empty `$nor` fails: it negates an empty `$or`, which passes.
        if (!Array.isArray(value) || anyMatches(attributes, value, groups, depth)) return false;
        break;
      case '$and':
        if (!Array.isArray(value) || !value.every((c) => matches(attributes, c, groups, depth + 1))) return false;
        break;
      case '$not':
        if (!isPlainObject(value) || matches(attributes, value, groups, depth + 1)) return false;
        break;
      default:
        if (!valueMatches(attributeAt(attributes, key), value, groups, depth + 1)) return false;
    }
  }
  return true;
}

/** `$or`: an empty list matches, as in GrowthBook. */
function anyMatches(attributes: unknown, conditions: unknown, groups: SavedGroups, depth: number): boolean {
  if (!Array.isArray(conditions)) return false;
  return conditions.length === 0 || conditions.some((c) => matches(attributes, c, groups, depth + 1));
}

/** One attribute value against a literal (equality) or an object of operators. */
function valueMatches(actual: unknown, expected: unknown, groups: SavedGroups, depth: number, fold = false): boolean {
  if (depth > MAX_EVAL_DEPTH) return false;
  if (typeof expected === 'string') {
    return fold ? looseString(actual).toLowerCase() === expected.toLowerCase() : looseString(actual) === expected;
  }
  if (typeof expected === 'number') return looseNumber(actual) === expected;
  // A missing attribute is neither true nor false.
  if (typeof expected === 'boolean') return actual !== null && Boolean(actual) === expected;
  if (expected === null) return actual === null;
  if (!isPlainObject(expected) || !isOperatorObject(expected)) return sameJson(actual, expected);
  for (const [operator, operand] of Object.entries(expected)) {
    if (!operatorMatches(operator, actual, operand, groups, depth)) return false;
  }
  return true;
}

/** Literal arrays and objects match when their JSON text is identical (so key order matters, as in GrowthBook). */
function sameJson(a: unknown, b: unknown): boolean {
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

function operatorMatches(
  operator: string,
  actual: unknown,
  operand: unknown,
  groups: SavedGroups,
  depth: number,
): boolean {
  switch (operator) {
    case '$eq':
      return actual === operand;
    case '$ne':
      return actual !== operand;
    case '$lt':
      return looseCompare(actual, operand) < 0;
    case '$lte':
      return looseCompare(actual, operand) <= 0;
    case '$gt':
      return looseCompare(actual, operand) > 0;
    case '$gte':
      return looseCompare(actual, operand) >= 0;
    case '$veq':
      return paddedVersionString(actual) === paddedVersionString(operand);
    case '$vne':
      return paddedVersionString(actual) !== paddedVersionString(operand);
    case '$vgt':
      return paddedVersionString(actual) > paddedVersionString(operand);
    case '$vgte':
      return paddedVersionString(actual) >= paddedVersionString(operand);
    case '$vlt':
      return paddedVersionString(actual) < paddedVersionString(operand);
    case '$vlte':
      return paddedVersionString(actual) <= paddedVersionString(operand);
    case '$exists':
      return operand ? actual !== null && actual !== undefined : actual === null || actual === undefined;
    case '$type':
      return typeName(actual) === operand;
    case '$in':
      return Array.isArray(operand) && isIn(actual, operand, false);
    case '$ini':
      return Array.isArray(operand) && isIn(actual, operand, true);
    case '$nin':
      return Array.isArray(operand) && !isIn(actual, operand, false);
    case '$nini':
      return Array.isArray(operand) && !isIn(actual, operand, true);
    case '$inGroup':
      return isIn(actual, savedGroup(groups, operand), false);
    case '$notInGroup':
      return !isIn(actual, savedGroup(groups, operand), false);
    case '$all':
      return Array.isArray(operand) && hasAll(actual, operand, groups, depth, false);
    case '$alli':
      return Array.isArray(operand) && hasAll(actual, operand, groups, depth, true);
    case '$elemMatch':
      return someElementMatches(actual, operand, groups, depth);
    case '$size':
      return Array.isArray(actual) && valueMatches(actual.length, operand, groups, depth + 1);
    case '$not':
      return !valueMatches(actual, operand, groups, depth + 1);
    case '$regex':
      return compilePattern(operand)?.test(looseString(actual)) ?? false;
    case '$regexi':
      return compilePattern(operand, true)?.test(looseString(actual)) ?? false;
    default:
      return false;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return ['string', 'number', 'boolean', 'object', 'undefined'].includes(type) ? type : 'unknown';
}

function savedGroup(groups: SavedGroups, id: unknown): readonly unknown[] {
  if (typeof id !== 'string' || !Object.hasOwn(groups, id)) return [];
  const group = groups[id];
  return Array.isArray(group) ? group : [];
}

const fold = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);

/** Membership; an array attribute matches when any of its items is in the list (an intersection). */
function isIn(actual: unknown, list: readonly unknown[], insensitive: boolean): boolean {
  const contains = insensitive
    ? (item: unknown) => list.some((entry) => fold(entry) === fold(item))
    : (item: unknown) => list.includes(item);
  return Array.isArray(actual) ? actual.some(contains) : contains(actual);
}

/** Every expected value (or condition) is matched by at least one item of the array attribute. */
function hasAll(
  actual: unknown,
  expected: readonly unknown[],
  groups: SavedGroups,
  depth: number,
  insensitive: boolean,
): boolean {
  if (!Array.isArray(actual)) return false;
  return expected.every((want) => actual.some((item) => valueMatches(item, want, groups, depth + 1, insensitive)));
}

/**
 * Some item matches: an operator object tests each item's value, any other object is a condition on each item's
 * fields. Falsy items (0, '', false, null) never match, as in GrowthBook.
 */
function someElementMatches(actual: unknown, expected: unknown, groups: SavedGroups, depth: number): boolean {
  if (!Array.isArray(actual)) return false;
  const check =
    isPlainObject(expected) && isOperatorObject(expected)
      ? (item: unknown) => valueMatches(item, expected, groups, depth + 1)
      : (item: unknown) => matches(item, expected, groups, depth + 1);
  return actual.some((item) => Boolean(item) && check(item));
}
