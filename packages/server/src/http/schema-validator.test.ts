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

test('parse names the first problem and stops there', () => {
  const parsed = parse('FunnelDefinition', { name: 'f', steps: ['a'], colour: 'red' });
  assert.equal(parsed.ok ? [] : parsed.problems, [{ field: '/colour', message: "unknown field 'colour'" }]);
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
