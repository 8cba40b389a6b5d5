/**
 * Validation of targeting conditions for the admin API: every problem with the JSON pointer of the operator or
 * value at fault (`/country/$inn: unknown operator`), so a definition is refused before it can silently match
 * no one. Evaluation itself never throws; this is where mistakes are reported.
 */
import type { DefinitionProblem } from '../experiment-rules.js';
import { compilePattern } from './compile-pattern.js';
import { LOGICAL_OPERATORS, TYPE_NAMES, VALUE_OPERATORS, isOperatorObject, isPlainObject } from './operators.js';

/** Size limits a stored condition must meet. */
export const CONDITION_LIMITS = {
  /** Nesting of objects and arrays (`{ a: 1 }` is depth 1). */
  maxDepth: 12,
  /** Object keys and array items, counted at every level. */
  maxNodes: 2000,
  /** Items in one `$in`, `$nin`, `$all` … list. */
  maxListItems: 1000,
  /** Characters in one string (a `$regex` pattern, a compared value, an attribute path). */
  maxStringLength: 1000,
} as const;

/** Options for {@link checkCondition}. */
export interface CheckConditionOptions {
  /** JSON pointer of the condition inside the checked document, prefixed to every problem (e.g. `/condition`). */
  path?: string;
  /** Ids of the saved groups that exist; when given, `$inGroup` and `$notInGroup` must name one of them. */
  savedGroupIds?: Iterable<string>;
}

const LOGICAL = new Set<string>(LOGICAL_OPERATORS);
const OPERATORS = new Set<string>(VALUE_OPERATORS);
const TYPES = new Set<string>(TYPE_NAMES);
const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

interface Walk {
  problems: DefinitionProblem[];
  nodes: number;
  groups: Set<string> | null;
}

/**
 * Problems with a targeting condition; empty when it is valid.
 * @example checkCondition({ country: { $inn: ['CA'] } }) // [{ field: '/country/$inn', message: 'unknown operator' }]
 */
export function checkCondition(condition: unknown, options: CheckConditionOptions = {}): DefinitionProblem[] {
  const walk: Walk = {
    problems: [],
    nodes: 0,
    groups: options.savedGroupIds ? new Set(options.savedGroupIds) : null,
  };
  checkConditionAt(walk, condition, options.path ?? '', 1);
  if (walk.nodes > CONDITION_LIMITS.maxNodes) {
    walk.problems.push({
      field: options.path ?? '',
      message: `condition has more than ${CONDITION_LIMITS.maxNodes} keys and items`,
    });
  }
  return walk.problems;
}

function report(walk: Walk, field: string, message: string): void {
  walk.problems.push({ field, message });
}

/** False (and a problem reported) when the value nests deeper than allowed; counts it towards the size limit. */
function enter(walk: Walk, path: string, depth: number, size: number): boolean {
  walk.nodes += size;
  if (depth <= CONDITION_LIMITS.maxDepth) return true;
  report(walk, path, `nested deeper than ${CONDITION_LIMITS.maxDepth} levels`);
  return false;
}

/** A whole condition: attribute paths and logical operators. */
function checkConditionAt(walk: Walk, condition: unknown, path: string, depth: number): void {
  if (!isPlainObject(condition)) {
    report(walk, path, 'a condition must be an object');
    return;
  }
  const keys = Object.keys(condition);
  if (!enter(walk, path, depth, keys.length)) return;
  for (const key of keys) {
    const at = `${path}/${escapePointer(key)}`;
    const value = condition[key];
    if (key === '$not') checkConditionAt(walk, value, at, depth + 1);
    else if (LOGICAL.has(key)) checkConditionList(walk, key, value, at, depth + 1);
    else if (OPERATORS.has(key))
      report(walk, at, `${key} applies to an attribute: write { "<attribute>": { "${key}": … } }`);
    else {
      checkAttributePath(walk, key, at);
      checkValue(walk, value, at, depth + 1);
    }
  }
}

function checkConditionList(walk: Walk, operator: string, list: unknown, path: string, depth: number): void {
  if (!Array.isArray(list)) {
    report(walk, path, `${operator} needs an array of conditions`);
    return;
  }
  if (list.length === 0 && operator === '$nor') report(walk, path, '$nor needs at least one condition');
  if (!enter(walk, path, depth, list.length)) return;
  list.forEach((item, index) => checkConditionAt(walk, item, `${path}/${index}`, depth + 1));
}

function checkAttributePath(walk: Walk, key: string, path: string): void {
  if (key === '' || key.split('.').some((part) => part === '')) {
    report(walk, path, 'attribute path must be non-empty names separated by single dots');
  } else if (key.length > CONDITION_LIMITS.maxStringLength) {
    report(walk, path, `attribute path is longer than ${CONDITION_LIMITS.maxStringLength} characters`);
  }
}

/** What an attribute is compared with: a literal, or an object of operators. */
function checkValue(walk: Walk, value: unknown, path: string, depth: number): void {
  if (typeof value === 'string') checkString(walk, value, path);
  else if (typeof value === 'number') checkNumber(walk, value, path);
  else if (value === null || typeof value === 'boolean') return;
  else if (Array.isArray(value) || (isPlainObject(value) && !isOperatorObject(value))) {
    if (isPlainObject(value) && Object.keys(value).some((key) => key.startsWith('$'))) {
      report(walk, path, 'mixes operators ($…) with plain keys; an object is either all operators or a literal');
    }
    checkLiteral(walk, value, path, depth);
  } else if (isPlainObject(value)) {
    const operators = Object.keys(value);
    if (!enter(walk, path, depth, operators.length)) return;
    for (const operator of operators) {
      checkOperator(walk, operator, value[operator], `${path}/${escapePointer(operator)}`, depth + 1);
    }
  } else report(walk, path, 'must be a JSON value');
}

function checkString(walk: Walk, value: string, path: string): void {
  if (value.length > CONDITION_LIMITS.maxStringLength) {
    report(walk, path, `string is longer than ${CONDITION_LIMITS.maxStringLength} characters`);
  }
}

function checkNumber(walk: Walk, value: number, path: string): void {
  if (!Number.isFinite(value)) report(walk, path, 'number must be finite');
}

/** A literal array or object compared as a whole: only its size and its strings are checked. */
function checkLiteral(walk: Walk, value: unknown, path: string, depth: number): void {
  if (typeof value === 'string') return checkString(walk, value, path);
  if (typeof value === 'number') return checkNumber(walk, value, path);
  if (value === null || typeof value === 'boolean') return;
  if (!Array.isArray(value) && !isPlainObject(value)) return report(walk, path, 'must be a JSON value');
  const entries = Object.entries(value);
  if (!enter(walk, path, depth, entries.length)) return;
  for (const [key, item] of entries) checkLiteral(walk, item, `${path}/${escapePointer(key)}`, depth + 1);
}

function checkOperator(walk: Walk, operator: string, operand: unknown, path: string, depth: number): void {
  switch (operator) {
    case '$eq':
    case '$ne':
      if (isScalar(operand)) return checkLiteral(walk, operand, path, depth);
      return report(walk, path, `${operator} needs a string, number, boolean or null`);
    case '$lt':
    case '$lte':
    case '$gt':
    case '$gte':
      if (typeof operand === 'string' || typeof operand === 'number') return checkLiteral(walk, operand, path, depth);
      return report(walk, path, `${operator} needs a number or a string`);
    case '$veq':
    case '$vne':
    case '$vgt':
    case '$vgte':
    case '$vlt':
    case '$vlte':
      if (typeof operand === 'string' && operand !== '') return checkString(walk, operand, path);
      return report(walk, path, `${operator} needs a version string such as "3.2.0"`);
    case '$exists':
      if (typeof operand !== 'boolean') report(walk, path, '$exists needs true or false');
      return;
    case '$type':
      if (typeof operand !== 'string' || !TYPES.has(operand)) {
        report(walk, path, `$type needs one of ${TYPE_NAMES.join(', ')}`);
      }
      return;
    case '$in':
    case '$nin':
    case '$ini':
    case '$nini':
      return checkList(walk, operator, operand, path, depth, (item, at) =>
        isScalar(item) ? checkLiteral(walk, item, at, depth + 1) : report(walk, at, 'list items must be scalars'),
      );
    case '$all':
    case '$alli':
      return checkList(walk, operator, operand, path, depth, (item, at) => checkValue(walk, item, at, depth + 1));
    case '$inGroup':
    case '$notInGroup':
      if (typeof operand !== 'string' || operand === '')
        return report(walk, path, `${operator} needs a saved group id`);
      if (walk.groups && !walk.groups.has(operand)) report(walk, path, `unknown saved group '${operand}'`);
      return;
    case '$regex':
    case '$regexi':
      if (typeof operand !== 'string') return report(walk, path, `${operator} needs a regular expression string`);
      checkString(walk, operand, path);
      if (!compilePattern(operand)) report(walk, path, `${operator} does not compile as a regular expression`);
      return;
    case '$size':
      if (typeof operand === 'number' && !(Number.isInteger(operand) && operand >= 0)) {
        return report(walk, path, '$size needs a non-negative integer or a condition on the length');
      }
      return checkValue(walk, operand, path, depth);
    case '$elemMatch':
      if (!isPlainObject(operand)) return report(walk, path, '$elemMatch needs an object');
      if (isOperatorObject(operand)) return checkValue(walk, operand, path, depth);
      return checkConditionAt(walk, operand, path, depth);
    case '$not':
      return checkValue(walk, operand, path, depth);
    default:
      return report(walk, path, 'unknown operator');
  }
}

function checkList(
  walk: Walk,
  operator: string,
  list: unknown,
  path: string,
  depth: number,
  checkItem: (item: unknown, path: string) => void,
): void {
  if (!Array.isArray(list)) return report(walk, path, `${operator} needs an array`);
  if (list.length > CONDITION_LIMITS.maxListItems) {
    return report(walk, path, `${operator} has more than ${CONDITION_LIMITS.maxListItems} items`);
  }
  if (!enter(walk, path, depth, list.length)) return;
  list.forEach((item, index) => checkItem(item, `${path}/${index}`));
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}
