/**
 * fast-check arbitraries of hostile JSON for the endpoint fuzz tests: strings PostgreSQL cannot store, prototype keys,
 * well-typed bodies with one field broken, and placeholders for values too big to print in a counterexample
 * (`~~HUGE:n:unit~~`, `~~DEEP:n:o~~`, `~~MANY:n:tag~~`), expanded by {@link toJsonText} only when the body is sent.
 */
import fc from 'fast-check';
import { LIMITS } from '@ab-calicritters/core';

export const LONE_HIGH = '🐱'.slice(0, 1);
export const LONE_LOW = '🐱'.slice(1);
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Keys and names the server knows about: a run touches existing definitions, not only new ones. */
export const KNOWN_KEYS = ['fuzz_exp', 'fuzz-draft', 'fuzz_funnel', 'fuzz-new-1', 'fuzz-new-2', 'fuzz.new:3'] as const;

/** Fixed per process, so generated times sit inside the server's accepted window (a day ahead, a year back). */
const NOW = Date.now();

const HUGE_UNITS: Record<string, string> = { x: 'x', cat: '🐱', nul: '\u0000', lone: LONE_HIGH, e: 'é' };

/** A string placeholder of `length` repeats of a unit (`x`, `cat`, `nul`, `lone`, `e`). */
export const huge = (length: number, unit: keyof typeof HUGE_UNITS & string = 'x') => `~~HUGE:${length}:${unit}~~`;
/** A placeholder for a value nested `levels` deep, as objects (`o`) or arrays (`a`). */
export const deep = (levels: number, kind: 'o' | 'a') => `~~DEEP:${levels}:${kind}~~`;

/** An object with exactly these own keys: `__proto__` becomes an own key, as JSON.parse makes it. */
export function objectOf(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries)
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

/** A valid event of a `~~MANY~~` batch: ids derived from the tag, so one batch never repeats an id. */
function manyEvent(tag: string, i: number) {
  return {
    event_id: `${tag}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    user_id: `many-${tag}`,
    name: 'fuzz_many',
    timestamp: new Date(NOW - 60_000).toISOString(),
  };
}

/** The JSON text of `value` with every placeholder expanded (deep nesting is built as text: JSON.stringify overflows). */
export function toJsonText(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.replace(/"~~(HUGE|DEEP|MANY):(\d+):([\w]+)~~"/g, (_, kind: string, count: string, arg: string) => {
    const n = Number(count);
    if (kind === 'HUGE') return JSON.stringify((HUGE_UNITS[arg] ?? 'x').repeat(n));
    if (kind === 'DEEP')
      return arg === 'a' ? `${'['.repeat(n)}1${']'.repeat(n)}` : `${'{"d":'.repeat(n)}1${'}'.repeat(n)}`;
    return `[${Array.from({ length: n }, (_, i) => JSON.stringify(manyEvent(arg, i))).join(',')}]`;
  });
}

const oddCharacters = [
  LONE_HIGH,
  LONE_LOW,
  '\u0000',
  '\uFEFF',
  '\uFFFF',
  '\uFFFE',
  '\u202E',
  '\u0085',
  '\u2028',
  '%00',
  '"',
  '\\',
  '/',
  '\n',
  '\t',
  'İ',
  'ß',
  '🐱',
  '\u{10FFFF}',
];

/** One unit of a hostile string: mostly printable ASCII, some of any code point, some chosen troublemakers. */
const hostileUnit = fc.oneof(
  { weight: 10, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(...oddCharacters) },
);

/** Lengths around the field limits (keys 128, event names 128, user ids and names 256). */
const fieldLimitLengths = [127, 128, 129, 255, 256, 257, 1001] as const;
/** Lengths around the body limits (32 KiB of properties, 64 KiB for assignment and admin, 1 MiB for events). */
export const bodyLimitLengths = [32_700, 33_000, 65_000, 66_000, 1_040_000, 1_050_000] as const;

export const hugeFieldString = fc
  .tuple(fc.constantFrom(...fieldLimitLengths), fc.constantFrom('x', 'x', 'x', 'cat', 'e', 'nul', 'lone'))
  .map(([n, unit]) => huge(n, unit));
export const hugeBodyString = fc
  .tuple(fc.constantFrom(...bodyLimitLengths), fc.constantFrom('x', 'cat'))
  .map(([n, unit]) => huge(n, unit));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: hostileUnit, maxLength: 12 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'null',
      '0',
      'true',
      '[]',
      '{}',
      'NaN',
      '1e309',
      '__proto__',
      'constructor',
      'u-1',
      ...KNOWN_KEYS,
      '2026-06-30T23:59:60Z',
      '0000-00-00T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '00000000-0000-0000-0000-000000000000',
      `cat${LONE_HIGH}`,
      `${LONE_LOW}cat`,
      'a\u0000b',
      '%ED%A0%BD',
      '🐱',
      '\u0000',
    ),
  },
  { weight: 1, arbitrary: hugeFieldString },
);

const hostileKey = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: hostileUnit, maxLength: 8 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      ...PROTO_KEYS,
      'polluted',
      'toString',
      'valueOf',
      'hasOwnProperty',
      'isAdmin',
      'user_id',
      'events',
      'key',
      'variants',
      'status',
    ),
  },
);

const oddNumbers = fc.constantFrom(1e308, -1e308, -0, 2 ** 53 + 1, 5e-324, -1, 0, 1, 0.5, 1.0000001, 1e21);

const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: oddNumbers },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** Deep nesting around the limit (16) and far past it (thousands, where a recursive walk overflows). */
export const deepValue = fc
  .tuple(fc.constantFrom(15, 16, 17, 100, 5_000, 20_000), fc.constantFrom('o' as const, 'a' as const))
  .map(([n, k]) => deep(n, k));

/** Objects whose own keys pollute a prototype when merged carelessly. */
export const protoValue: fc.Arbitrary<unknown> = fc.constantFrom(
  objectOf([['__proto__', { polluted: 'yes' }]]),
  objectOf([['constructor', objectOf([['prototype', { polluted: 'yes' }]])]]),
  objectOf([['prototype', { polluted: 'yes' }]]),
  objectOf([
    ['__proto__', objectOf([['__proto__', { polluted: 'yes' }]])],
    ['a', 1],
  ]),
);

/** Random JSON: hostile strings and keys, odd numbers, `__proto__` own keys, now and then a deep placeholder. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 5 },
    { weight: 6, arbitrary: hostileLeaf },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 5 }) },
    { weight: 3, arbitrary: fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 5 }).map(objectOf) },
    { weight: 1, arbitrary: protoValue },
    { weight: 1, arbitrary: deepValue },
  ),
})).value;

/** A value of the wrong kind, or of the right kind at or past a limit, for one field of a well-typed body. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      false,
      0,
      -1,
      1.5,
      1e308,
      -0,
      '',
      '1',
      [],
      {},
      [null],
      { '': null },
      ['a', 'b'],
    ),
  },
  { weight: 8, arbitrary: hostileString },
  { weight: 2, arbitrary: hugeFieldString },
  { weight: 1, arbitrary: hugeBodyString },
  { weight: 2, arbitrary: deepValue },
  { weight: 2, arbitrary: protoValue },
  { weight: 4, arbitrary: hostileJson },
);

// ── well-typed bodies ──────────────────────────────────────────────────────────────────────────────────────────

export const keyLike = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KNOWN_KEYS) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,30}$/) },
);
/** Text a schema accepts: mostly printable, sometimes with what only the database refuses (lone surrogates, NUL). */
const schemaText = (max: number, min = 0) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: min, maxLength: max }) },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.ceil(max / 4) }) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: hostileUnit, minLength: Math.max(min, 1), maxLength: Math.min(max, 12) }),
    },
  );
const userId = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('u-1', 'u-2', 'cat🐱', 'ユーザー') },
  { weight: 2, arbitrary: schemaText(LIMITS.maxUserIdLength, 1) },
);
const eventName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('opened', 'purchase', 'step_1', 'step_2') },
  { weight: 1, arbitrary: schemaText(40, 1) },
);
const simpleJson = fc.jsonValue({ maxDepth: 3 });
const properties = fc.dictionary(fc.string({ maxLength: 10 }), simpleJson, { maxKeys: 6 });

/** An ISO time the server accepts: up to 364 days back, up to 23 hours ahead. */
const eventTime = fc
  .integer({ min: -364 * 86_400_000, max: 23 * 3_600_000 })
  .map((offset) => new Date(NOW + offset).toISOString());

export const validEvent = fc.record(
  { event_id: fc.uuid(), user_id: userId, name: eventName, timestamp: eventTime, properties },
  { requiredKeys: ['event_id', 'user_id', 'name', 'timestamp'] },
);
export const validEventsBody = fc.record(
  {
    events: fc.array(validEvent, { minLength: 1, maxLength: 6 }),
    sent_at: fc.integer({ min: -3_600_000, max: 3_600_000 }).map((offset) => new Date(NOW + offset).toISOString()),
  },
  { requiredKeys: ['events'] },
);

/** Batches at the event limit (1000) and one past it, written as a placeholder: the counterexample stays short. */
const manyEventsBody = fc
  .tuple(fc.constantFrom(999, 1000, 1001), fc.stringMatching(/^[0-9a-f]{8}$/))
  .map(([n, tag]) => ({ events: `~~MANY:${n}:${tag}~~` }));
export const eventsBody = fc.oneof(
  { weight: 30, arbitrary: validEventsBody },
  { weight: 1, arbitrary: manyEventsBody },
);

export const validAssignmentBody = fc.record(
  { user_id: userId, experiment_keys: fc.array(keyLike, { maxLength: 4 }), attributes: properties },
  { requiredKeys: ['user_id'] },
);

const weightSets = [
  [0.5, 0.5],
  [0.1, 0.9],
  [0.2, 0.3, 0.5],
  [0.25, 0.25, 0.25, 0.25],
] as const;
const variantKeySets = [
  ['a', 'b', 'c', 'd'],
  ['control', 'treatment', 't2', 't3'],
] as const;
/** A variant's payload: absent mostly, else any small JSON (remote config). */
const variantValue = fc.option(simpleJson, { freq: 2, nil: undefined });
const variants = fc
  .tuple(
    fc.constantFrom(...weightSets),
    fc.constantFrom(...variantKeySets),
    fc.array(variantValue, { minLength: 4, maxLength: 4 }),
  )
  .map(([weights, keys, values]) =>
    weights.map((weight, i) =>
      values[i] === undefined ? { key: keys[i]!, weight } : { key: keys[i]!, weight, value: values[i] },
    ),
  );
/** Targeting conditions the admin API accepts: plain values, operators, logic, versions, nested paths. */
const condition = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      {},
      { country: 'CA' },
      { country: { $in: ['CA', 'US'] }, 'app.version': { $vgte: '3.2.0' } },
      { $or: [{ plan: 'pro' }, { beta: true }] },
      { age: { $gte: 18, $lt: 65 } },
      { email: { $regex: '@example\\.com$' } },
      { $not: { country: 'US' } },
      { tags: { $elemMatch: { $eq: 'staff' } } },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      plan: fc.oneof(
        simpleJson.filter((v) => v === null || typeof v !== 'object'),
        fc.record({ $ne: fc.string({ maxLength: 8 }) }),
      ),
    }),
  },
);
const attributeName = fc.constantFrom('id', 'device_id', 'anonymous_id', 'account:id');
/** `[name, start, end]` with start < end, in a few namespaces so claims sometimes overlap. */
const namespace = fc.oneof(
  fc.constant(null),
  fc
    .tuple(fc.constantFrom('ns_a', 'ns_b'), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 1, max: 20 }))
    .filter(([, a, b]) => a < b)
    .map(([name, a, b]) => [name, a / 20, b / 20]),
);
const experimentFields = {
  name: schemaText(60),
  seed: schemaText(30, 1),
  coverage: fc.double({ min: 0, max: 1, noNaN: true }),
  variants,
  status: fc.constantFrom('draft', 'running', 'stopped', 'released'),
  condition,
  hash_attribute: attributeName,
  fallback_attribute: fc.option(attributeName, { nil: null }),
  namespace,
  released_variant: fc.option(fc.constantFrom('a', 'b', 'control', 'treatment'), { nil: null }),
  analysis: fc.record(
    {
      method: fc.constantFrom('sequential', 'fixed'),
      alpha: fc.double({ min: 1e-6, max: 0.5, noNaN: true }),
      sequential_tuning: fc.integer({ min: 1, max: 1_000_000_000 }),
    },
    { requiredKeys: ['method'] },
  ),
};
const nonEmpty = (o: object) => Object.keys(o).length > 0;

/** A released definition names one of its variants; any other status sends no released variant, or null. */
function consistentRelease<
  T extends { status?: string; variants: ReadonlyArray<{ key: string }>; released_variant?: unknown },
>(def: T): T {
  if (def.status === 'released') return { ...def, released_variant: def.variants[def.variants.length - 1]!.key };
  if (typeof def.released_variant === 'string') return { ...def, released_variant: null };
  return def;
}

export const validExperimentBody = fc
  .record({ key: keyLike, ...experimentFields }, { requiredKeys: ['key', 'variants'] })
  .map(consistentRelease);
export const validExperimentPatch = fc.record(experimentFields, { requiredKeys: [] }).filter(nonEmpty);
const funnelFields = {
  steps: fc.uniqueArray(eventName, { minLength: 2, maxLength: 5 }),
  conversion_window_hours: fc.integer({ min: 1, max: LIMITS.maxConversionWindowHours }),
};
export const validFunnelBody = fc.record({ name: keyLike, ...funnelFields }, { requiredKeys: ['name', 'steps'] });
export const validFunnelPatch = fc.record(funnelFields, { requiredKeys: [] }).filter(nonEmpty);

// QA overrides and holdouts: variants of the seeded experiments (and one that is none), experiments that exist.
export const validOverrideBody = fc.record(
  {
    variant: fc.constantFrom('a', 'b', 'control', 'nope'),
    expires_at: fc.integer({ min: 3600, max: 365 * 86_400 }).map((s) => new Date(NOW + s * 1000).toISOString()),
    note: schemaText(60),
  },
  { requiredKeys: ['variant'] },
);
const holdoutScope = fc.oneof(
  fc.record({ experiment_keys: fc.subarray(['fuzz_exp', 'fuzz-draft'], { minLength: 1 }) }),
  fc.record({ all_experiments: fc.constant(true) }),
);
const holdoutFields = { name: schemaText(60), share: fc.double({ min: 0.001, max: 0.999, noNaN: true }) };
export const validHoldoutBody = fc
  .tuple(
    fc.record({ key: keyLike, seed: schemaText(30, 1), ...holdoutFields }, { requiredKeys: ['key', 'share'] }),
    holdoutScope,
  )
  .map(([fields, scope]) => ({ ...fields, ...scope }));
export const validHoldoutPatch = fc
  .tuple(fc.record(holdoutFields, { requiredKeys: [] }), fc.option(holdoutScope, { nil: undefined }))
  .map(([fields, scope]) => ({ ...fields, ...scope }))
  .filter(nonEmpty);
const savedGroupFields = {
  name: schemaText(60),
  values: fc.array(fc.oneof(schemaText(40), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), {
    maxLength: 20,
  }),
};
export const validSavedGroupBody = fc.record(
  { key: keyLike, ...savedGroupFields },
  { requiredKeys: ['key', 'values'] },
);
export const validSavedGroupPatch = fc.record(savedGroupFields, { requiredKeys: [] }).filter(nonEmpty);
const metricCommon = {
  name: schemaText(60),
  direction: fc.constantFrom('higher', 'lower'),
};
const eventMetric = fc.record(
  {
    kind: fc.constantFrom('conversion', 'count', 'sum'),
    event: fc.constantFrom('purchase', 'opened', '$exposure'),
    window_hours: fc.option(fc.integer({ min: 1, max: 24 * 30 }), { nil: null }),
    filter: fc.option(
      fc.record({ property: fc.constantFrom('plan', 'value'), equals: fc.oneof(fc.constant('pro'), fc.integer()) }),
      { nil: null },
    ),
    cuped_lookback_days: fc.integer({ min: 0, max: 90 }),
    ...metricCommon,
  },
  { requiredKeys: ['kind', 'event'] },
);
const ratioMetric = fc.record(
  {
    kind: fc.constant('ratio'),
    numerator: fc.constant('fuzz_sum'),
    denominator: fc.constant('fuzz_count'),
    ...metricCommon,
  },
  { requiredKeys: ['kind', 'numerator', 'denominator'] },
);
/** A metric definition without its key: PUT's body. */
export const validMetricReplacement = fc.oneof(eventMetric, ratioMetric);
export const validMetricBody = fc.tuple(keyLike, validMetricReplacement).map(([key, def]) => ({ key, ...def }));

// ── one field broken ───────────────────────────────────────────────────────────────────────────────────────────

type Mutation =
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'add'; at: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: wrongValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: hostileKey, value: wrongValue }),
  },
);

/** Every place in a JSON tree where a value sits: [container, key]; the root is [undefined, '']. */
function places(root: unknown): Array<[Record<string, unknown> | unknown[] | undefined, string]> {
  const found: Array<[Record<string, unknown> | unknown[] | undefined, string]> = [[undefined, '']];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    for (const key of Object.keys(node)) {
      found.push([node as Record<string, unknown>, key]);
      stack.push((node as Record<string, unknown>)[key]);
    }
  }
  return found;
}

const define = (target: object, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

function applyMutation(valid: unknown, m: Mutation): unknown {
  const root = JSON.parse(JSON.stringify(valid)) as unknown;
  const all = places(root);
  const [container, key] = all[m.at % all.length]!;
  if (m.op === 'add') {
    const target = container === undefined ? root : (container as Record<string, unknown>)[key];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) define(target, m.key, m.value);
    else if (Array.isArray(target)) target.push(m.value);
    return root;
  }
  if (container === undefined) return m.op === 'replace' ? m.value : undefined;
  if (m.op === 'delete') {
    if (Array.isArray(container)) container.splice(Number(key), 1);
    else delete container[key];
  } else {
    define(container, key, m.value);
  }
  return root;
}

/** Well-typed bodies with one field replaced by a wrong or hostile value, deleted, or joined by an extra key. */
export function oneFieldBroken(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, mutation).map(([body, m]) => applyMutation(body, m));
}
