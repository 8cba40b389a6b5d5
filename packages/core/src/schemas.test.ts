import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { requestSchemas } from './schemas.js';

const DRAFT_07_KEYWORDS = new Set([
  '$id',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
  'items',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'enum',
  'minimum',
  'maximum',
]);

type Node = Record<string, unknown>;

/** Every subschema with its JSON pointer, walking properties and items. */
function* subschemas(schema: Node, path = ''): Generator<[string, Node]> {
  yield [path || '/', schema];
  for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, Node>)) {
    yield* subschemas(child, `${path}/${name}`);
  }
  if (schema.items) yield* subschemas(schema.items as Node, `${path}/items`);
}

test('request schemas are plain draft-07 JSON once serialised (no TypeBox-only keywords)', () => {
  for (const [id, schema] of Object.entries(requestSchemas)) {
    const json = JSON.parse(JSON.stringify(schema)) as Node;
    assert.is(json.$id, id);
    for (const [path, node] of subschemas(json)) {
      for (const keyword of Object.keys(node)) {
        if (path.endsWith('/properties') || keyword === 'properties') continue;
        assert.ok(DRAFT_07_KEYWORDS.has(keyword), `${id}${path}: unexpected keyword '${keyword}'`);
      }
    }
  }
});

test('every string has a maxLength (or an enum) and every array a maxItems, but the events envelope, checked by count', () => {
  for (const [id, schema] of Object.entries(requestSchemas)) {
    for (const [path, node] of subschemas(JSON.parse(JSON.stringify(schema)) as Node)) {
      if (node.type === 'string' && !node.enum) assert.type(node.maxLength, 'number', `${id}${path}`);
      if (node.type === 'array' && !(id === 'EventsEnvelope' && path === '/events')) {
        assert.type(node.maxItems, 'number', `${id}${path}`);
      }
    }
  }
});

test('objects refuse unknown fields', () => {
  for (const [id, schema] of Object.entries(requestSchemas)) {
    for (const [path, node] of subschemas(JSON.parse(JSON.stringify(schema)) as Node)) {
      if (node.type === 'object' && node.properties) assert.is(node.additionalProperties, false, `${id}${path}`);
    }
  }
});

test('status and conversion window may be left out of a definition (the server fills in defaults)', () => {
  assert.equal(requestSchemas.ExperimentDefinition.required, ['key', 'variants']);
  assert.equal(requestSchemas.FunnelDefinition.required, ['name', 'steps']);
  assert.is(requestSchemas.ExperimentPatch.required, undefined);
  assert.is(requestSchemas.FunnelPatch.required, undefined);
});

test.run();
