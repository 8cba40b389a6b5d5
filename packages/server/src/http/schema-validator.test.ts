import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { requestSchemas, type RequestSchemaId } from '@ab-calicritters/core';
import { parse, validatorFor } from './schema-validator.js';

test('every request schema compiles in strict mode (TypeBox markers are symbols ajv never sees)', () => {
  for (const id of Object.keys(requestSchemas) as RequestSchemaId[]) assert.type(validatorFor(id), 'function');
});

test('parse returns the value itself, typed, when the schema accepts it', () => {
  const body = { user_id: 'u1', experiment_keys: ['checkout'] };
  const parsed = parse('AssignmentRequest', body);
  assert.ok(parsed.ok);
  if (parsed.ok) {
    assert.is(parsed.value, body);
    assert.is(parsed.value.user_id, 'u1');
  }
});

test('parse names every problem of a request body, not only the first', () => {
  const parsed = parse('ExperimentDefinition', {
    status: 'paused',
    coverage: 2,
    colour: 'red',
    variants: [{ key: 'a', weight: 0.5 }],
  });
  assert.equal(parsed.ok ? [] : parsed.problems.map((p) => p.field).sort(), [
    '/colour',
    '/coverage',
    '/key',
    '/status',
    '/variants',
  ]);
});

test('an unknown field close to a known one says which was meant; a far one does not guess', () => {
  const typo = parse('AssignmentRequest', { userId: 'a' });
  assert.equal(typo.ok ? [] : typo.problems, [
    { field: '/user_id', message: "'user_id' is required" },
    { field: '/userId', message: "unknown field 'userId'; did you mean 'user_id'?" },
  ]);
  const nested = parse('FunnelDefinition', { name: 'f', steps: ['a', 'b'], conversion_window: 3 });
  assert.equal(nested.ok ? [] : nested.problems, [
    {
      field: '/conversion_window',
      message: "unknown field 'conversion_window'; did you mean 'conversion_window_hours'?",
    },
  ]);
  const far = parse('FunnelDefinition', { name: 'f', steps: ['a', 'b'], colour: 'red' });
  assert.equal(far.ok ? [] : far.problems, [{ field: '/colour', message: "unknown field 'colour'" }]);
});

test('an enum names the allowed values and the one given', () => {
  const parsed = parse('ExperimentPatch', { status: 'paused' });
  assert.equal(parsed.ok ? [] : parsed.problems, [
    {
      field: '/status',
      message: "must be one of 'draft', 'running', 'stopped', 'released', 'archived' (got 'paused')",
    },
  ]);
});

test('the events envelope stops at its first problem but names a near miss of a missing field', () => {
  const parsed = parse('EventsEnvelope', { event: [{}], colour: 'red' });
  assert.equal(parsed.ok ? [] : parsed.problems, [
    { field: '/events', message: "'events' is required; found unknown field 'event'" },
  ]);
});

test('a definition may leave out status and conversion window (the server fills them in)', () => {
  const variants = [
    { key: 'a', weight: 0.5 },
    { key: 'b', weight: 0.5 },
  ];
  assert.ok(parse('ExperimentDefinition', { key: 'e', variants }).ok);
  assert.ok(parse('FunnelDefinition', { name: 'f', steps: ['a', 'b'] }).ok);
});

test.run();
