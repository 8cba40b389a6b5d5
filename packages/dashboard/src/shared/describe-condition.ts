/**
 * describeCondition(): a targeting condition (GrowthBook syntax) in words, for people reading an experiment's rules:
 * `{"country":{"$in":["CA","US"]},"app_version":{"$vgte":"3.2"}}` reads "country is one of CA, US and
 * app_version ≥ 3.2 (version)". Every operator has a phrase; what has none (an unknown operator, a condition inside
 * `$all`) is shown as compact JSON, so nothing is ever hidden. Pure: no DOM, usable from Node.
 */

type Condition = Readonly<Record<string, unknown>>;

/** What a condition that targets everyone reads. */
const EVERYONE = 'everyone';

const COMPARISONS: Readonly<Record<string, string>> = {
  $eq: 'is',
  $ne: 'is not',
  $lt: '<',
  $lte: '≤',
  $gt: '>',
  $gte: '≥',
};

const VERSIONS: Readonly<Record<string, string>> = {
  $veq: 'is version',
  $vne: 'is not version',
  $vlt: '<',
  $vlte: '≤',
  $vgt: '>',
  $vgte: '≥',
};

const TYPES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

const isObject = (value: unknown): value is Condition =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isOperatorObject = (value: unknown): value is Condition =>
  isObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((k) => k.startsWith('$'));

/** Compact JSON, never throwing (a cycle or a BigInt reads as its String()). */
function compactJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A value as read in a sentence: plain words bare, anything that could be misread quoted or as JSON. */
function literal(value: unknown): string {
  if (typeof value === 'string') return /^[\p{L}\p{N}_.:@/+-]+$/u.test(value) ? value : JSON.stringify(value);
  return compactJson(value);
}

const list = (value: unknown): string => (Array.isArray(value) ? value.map(literal).join(', ') : literal(value));

const allLiterals = (value: unknown): value is unknown[] =>
  Array.isArray(value) && value.every((v) => !isObject(v) && !Array.isArray(v));

/** One operator applied to `subject`. */
function describeOperator(subject: string, operator: string, argument: unknown, depth: number): string {
  const fallback = `${subject} ${compactJson({ [operator]: argument })}`;
  if (operator in COMPARISONS) return `${subject} ${COMPARISONS[operator]} ${literal(argument)}`;
  if (operator in VERSIONS) {
    const phrase = VERSIONS[operator] as string;
    return phrase.startsWith('is')
      ? `${subject} ${phrase} ${literal(argument)}`
      : `${subject} ${phrase} ${literal(argument)} (version)`;
  }
  switch (operator) {
    case '$in':
    case '$ini':
    case '$nin':
    case '$nini': {
      if (!Array.isArray(argument)) return fallback;
      const none = operator.startsWith('$nin');
      const anyCase = operator.endsWith('i') && operator !== '$in' ? ' (any case)' : '';
      if (argument.length === 0) return none ? `${subject} is anything` : `${subject} is one of nothing (no one)`;
      return `${subject} is ${none ? 'none' : 'one'} of ${list(argument)}${anyCase}`;
    }
    case '$all':
    case '$alli':
      if (!allLiterals(argument)) return fallback;
      return `${subject} has all of ${list(argument)}${operator === '$alli' ? ' (any case)' : ''}`;
    case '$elemMatch':
      if (!isObject(argument)) return fallback;
      return `${subject} has an item where ${
        isOperatorObject(argument) ? describeField('it', argument, depth + 1) : describeClauses(argument, depth + 1)
      }`;
    case '$size':
      if (typeof argument === 'number') return `${subject} has ${argument} item${argument === 1 ? '' : 's'}`;
      return describeField(`the number of items in ${subject}`, argument, depth + 1);
    case '$exists':
      return `${subject} is ${argument ? 'set' : 'not set'}`;
    case '$type':
      return typeof argument === 'string' && argument in TYPES ? `${subject} is ${TYPES[argument]}` : fallback;
    case '$regex':
    case '$regexi':
      return typeof argument === 'string'
        ? `${subject} matches /${argument}/${operator === '$regexi' ? 'i' : ''}`
        : fallback;
    case '$not':
      return `not (${describeField(subject, argument, depth + 1)})`;
    case '$inGroup':
      return `${subject} is in saved group ${literal(argument)}`;
    case '$notInGroup':
      return `${subject} is not in saved group ${literal(argument)}`;
    default:
      return fallback;
  }
}

/** What an attribute path must be: operators, or a value it must equal. */
function describeField(path: string, value: unknown, depth: number): string {
  if (!isOperatorObject(value)) return `${path} is ${literal(value)}`;
  return Object.entries(value)
    .map(([operator, argument]) => describeOperator(path, operator, argument, depth))
    .join(' and ');
}

/** A nested list of conditions joined by `word`, in parentheses when there is more than one. */
function group(conditions: unknown, word: 'and' | 'or', depth: number): string | undefined {
  if (!Array.isArray(conditions) || !conditions.every(isObject)) return undefined;
  const parts = conditions.map((c) => describeClauses(c, depth + 1));
  if (parts.length === 1) return parts[0];
  return `(${parts.join(` ${word} `)})`;
}

/** Every top-level key of a condition, joined by "and". */
function describeClauses(condition: Condition, depth: number): string {
  if (depth > 32) return compactJson(condition);
  const entries = Object.entries(condition);
  if (entries.length === 0) return EVERYONE;
  return entries
    .map(([key, value]) => {
      switch (key) {
        case '$and':
          if (Array.isArray(value) && value.length === 0) return EVERYONE;
          return group(value, 'and', depth) ?? compactJson({ [key]: value });
        case '$or':
          if (Array.isArray(value) && value.length === 0) return EVERYONE;
          return group(value, 'or', depth) ?? compactJson({ [key]: value });
        case '$nor': {
          const any = Array.isArray(value) && value.length > 0 ? group(value, 'or', depth) : undefined;
          return any ? `not ${any.startsWith('(') ? any : `(${any})`}` : compactJson({ [key]: value });
        }
        case '$not':
          return isObject(value) ? `not (${describeClauses(value, depth + 1)})` : compactJson({ [key]: value });
        default:
          return key.startsWith('$') ? compactJson({ [key]: value }) : describeField(key, value, depth);
      }
    })
    .join(' and ');
}

/**
 * A targeting condition in words; `everyone` for null or `{}`. Never throws.
 * @example describeCondition({ country: { $in: ['CA', 'US'] }, app_version: { $vgte: '3.2' } })
 * // 'country is one of CA, US and app_version ≥ 3.2 (version)'
 */
export function describeCondition(condition: unknown): string {
  if (condition === null || condition === undefined) return EVERYONE;
  if (!isObject(condition)) return compactJson(condition);
  return describeClauses(condition, 0);
}
