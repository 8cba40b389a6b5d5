/**
 * GrowthBook's `evalCondition` and `inNamespace` spec cases through the client evaluating offline, the same table
 * packages/server/test/targeting.test.ts sends through `POST /v1/assignment`: each condition (or namespace) wrapped in
 * a definition with coverage 1, matched ⇔ the reason is not `not_targeted` (inside ⇔ not `namespace`).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setup } from './fakes.js';
import type { SavedGroups, TargetedExperiment } from './wire-types.js';

type EvalConditionCase = [name: string, condition: unknown, attributes: unknown, expected: boolean, groups?: unknown];
type InNamespaceCase = [name: string, id: string, namespace: [string, number, number], expected: boolean];
const corePackage = createRequire(import.meta.url).resolve('@ab-calicritters/core/package.json');
const spec = JSON.parse(readFileSync(new URL('spec/growthbook-sdk-cases.json', `file://${corePackage}`), 'utf8')) as {
  evalCondition: EvalConditionCase[];
  inNamespace: InNamespaceCase[];
};

const variants = [
  { key: 'control', weight: 0.5 },
  { key: 'treatment', weight: 0.5 },
];

test('every evalCondition spec case offline: matched ⇔ not `not_targeted`', () => {
  const failures: string[] = [];
  let compared = 0;
  let skipped = 0;
  for (const [index, [name, condition, attributes, expected, groups]] of spec.evalCondition.entries()) {
    const attrs = (attributes ?? {}) as Record<string, unknown>;
    // The user id is the `id` attribute, on the device as on the server: a case whose `id` is not a non-empty
    // string cannot be expressed. Saved groups can (the server has none stored yet).
    if ('id' in attrs && (typeof attrs.id !== 'string' || attrs.id === '')) {
      skipped++;
      continue;
    }
    const definition = { key: `ec_${index}`, variants, condition } as TargetedExperiment;
    const { client, errors } = setup({
      userId: typeof attrs.id === 'string' ? attrs.id : `spec-user-${index}`,
      attributes: attrs,
      definitions: [definition],
      savedGroups: groups as SavedGroups | undefined,
      autoExposure: false,
    });
    const got = client.getAssignment(definition.key);
    compared++;
    if (errors.length > 0) failures.push(`${name}: ${errors.map((e) => e.message).join('; ')}`);
    if (!['assigned', 'not_targeted'].includes(got.reason)) failures.push(`${name}: reason ${got.reason}`);
    if ((got.reason !== 'not_targeted') !== expected) failures.push(`${name}: expected ${expected}, got ${got.reason}`);
  }
  assert.equal(failures, []);
  assert.is(compared + skipped, spec.evalCondition.length);
  console.log(`evalCondition offline: ${compared} compared, ${skipped} skipped of ${spec.evalCondition.length}`);
});

test('every inNamespace spec case offline: inside the range ⇔ not `namespace`', () => {
  for (const [index, [name, id, namespace, expected]] of spec.inNamespace.entries()) {
    const definition: TargetedExperiment = { key: `ns_${index}`, variants, namespace };
    const { client } = setup({ userId: id, definitions: [definition] });
    assert.is(client.getAssignment(definition.key).reason !== 'namespace', expected, name);
  }
});

test.run();
