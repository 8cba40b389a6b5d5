import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { variantProblems } from '@ab-calicritters/core';
import type { AdminExperiment } from '../../api/admin-api-client.js';
import { AdminApiError } from '../../api/admin-api-error.js';
import {
  clientProblems,
  definitionOf,
  draftOf,
  errorIdOf,
  evenWeights,
  inputIdOf,
  patchOf,
  placeProblems,
  problemsOfError,
  readPayload,
  weightsSumToOne,
} from './experiment-editor.model.js';

const stored: AdminExperiment = {
  key: 'paywall_copy',
  name: 'Paywall copy',
  seed: 'paywall_copy',
  coverage: 1,
  status: 'running',
  variants: [
    { key: 'control', weight: 0.34, value: null },
    { key: 'urgency', weight: 0.33, value: { headline: 'Only today!' } },
    { key: 'social_proof', weight: 0.33, value: null },
  ],
  condition: null,
  hash_attribute: 'id',
  fallback_attribute: null,
  namespace: null,
  released_variant: null,
  released_at: null,
  created_at: '2026-03-01T00:00:00.000Z',
  updated_at: '2026-03-01T00:00:00.000Z',
};

const it = suite('experiment editor model');

it('a new draft is a valid two-way split; an existing one shows the stored values as text', () => {
  assert.equal(clientProblems(draftOf()), []);
  const draft = draftOf(stored);
  assert.equal(draft.variants[1], { key: 'urgency', weight: '0.33', payload: '{\n  "headline": "Only today!"\n}' });
  assert.is(draft.variants[0]?.payload, 'null', 'a null payload is a payload');
  assert.is(draft.coverage, '1');
  assert.equal(clientProblems(draft), []);
});

it("weights off 1 give core's own message, the one the server answers with", () => {
  const draft = {
    ...draftOf(),
    variants: [
      { key: 'control', weight: '0.5', payload: '' },
      { key: 'treatment', weight: '0.6', payload: '' },
    ],
  };
  const expected = variantProblems([
    { key: 'control', weight: 0.5 },
    { key: 'treatment', weight: 0.6 },
  ]);
  assert.equal(clientProblems(draft), expected);
  assert.equal(expected, [{ field: '/variants', message: 'variant weights must sum to 1 (got 1.1)' }]);
  assert.not.ok(weightsSumToOne(draft));
  assert.ok(
    weightsSumToOne({
      ...draft,
      variants: [
        { key: 'a', weight: '0.1', payload: '' },
        { key: 'b', weight: '0.2', payload: '' },
        { key: 'c', weight: '0.7', payload: '' },
      ],
    }),
  );
});

it('a weight that is not a number is named once, without a sum message; duplicate keys are named on the key', () => {
  const draft = {
    ...draftOf(),
    variants: [
      { key: 'a', weight: '', payload: '' },
      { key: 'a', weight: '0.5', payload: '' },
    ],
  };
  assert.equal(clientProblems(draft), [
    { field: '/variants/0/weight', message: 'must be a number' },
    { field: '/variants/1/key', message: "duplicate variant key 'a'" },
  ]);
});

it('even weights sum to 1 within the tolerance', () => {
  assert.equal(evenWeights(3), ['0.3333', '0.3333', '0.3334']);
  for (const n of [2, 3, 6, 7, 20]) {
    const draft = {
      ...draftOf(),
      variants: evenWeights(n).map((weight, i) => ({ key: `v${i}`, weight, payload: '' })),
    };
    assert.ok(weightsSumToOne(draft), `${n} variants`);
  }
});

it('the definition is typed from the text; a patch holds only what changed, never the key', () => {
  const draft = { ...draftOf(), key: ' new_key ', name: '', coverage: '0.5' };
  assert.equal(definitionOf(draft), {
    key: 'new_key',
    status: 'draft',
    coverage: 0.5,
    variants: [
      { key: 'control', weight: 0.5 },
      { key: 'treatment', weight: 0.5 },
    ],
  });
  assert.is(patchOf(stored, draftOf(stored)), null);
  const changed = draftOf(stored);
  changed.name = 'Paywall headline';
  changed.variants = changed.variants.slice(0, 2).map((v) => ({ ...v, weight: '0.5' }));
  assert.equal(patchOf(stored, changed), {
    name: 'Paywall headline',
    variants: [
      { key: 'control', weight: 0.5, value: null },
      { key: 'urgency', weight: 0.5, value: { headline: 'Only today!' } },
    ],
  });
});

it("places each server problem at its input, a row's at the row, and fields without an input at the top", () => {
  const placed = placeProblems(
    [
      { field: '/variants/1/weight', message: 'must be <= 1' },
      { field: '/variants/0', message: "unknown field 'colour'" },
      { field: '/variants', message: 'variant weights must sum to 1 (got 2)' },
      { field: '/variants', message: 'variant weights must sum to 1 (got 2)' },
      { field: '/colour', message: "unknown field 'colour'" },
      { field: '/variants/5/key', message: 'gone row' },
      { field: '/', message: 'must be object' },
    ],
    2,
  );
  assert.equal(placed.byField.get('/variants/1/weight'), ['must be <= 1']);
  assert.equal(placed.byField.get('/variants/0'), ["unknown field 'colour'"]);
  assert.equal(placed.byField.get('/variants'), ['variant weights must sum to 1 (got 2)'], 'said once');
  assert.equal(placed.general, ["colour: unknown field 'colour'", 'variants/5/key: gone row', 'must be object']);
  assert.is(inputIdOf('/variants/1/weight'), 'variant-weight-1');
  assert.is(inputIdOf('/variants/2'), 'variant-key-2');
  assert.is(inputIdOf('/coverage'), 'coverage');
  assert.is(errorIdOf('/variants/1/weight'), 'variants-1-weight-error');
});

it('a 409 becomes "key exists" on the key; a 400 gives its details; other failures none', () => {
  assert.equal(problemsOfError(new AdminApiError('conflict', "experiment 'a' already exists", { status: 409 })), [
    { field: '/key', message: "Key exists: experiment 'a' already exists. Pick another key." },
  ]);
  const details = [{ field: '/name', message: 'must NOT have more than 256 characters' }];
  assert.equal(problemsOfError(new AdminApiError('invalid', 'invalid', { status: 400, details })), details);
  assert.equal(problemsOfError(new AdminApiError('unauthorized', 'no', { status: 401 })), []);
});

it('a payload typed as JSON is sent as its value; empty text sends none; text that is not JSON is named at its input', () => {
  const draft = draftOf();
  draft.variants[1]!.payload = '{"price": 2.99}';
  assert.equal(definitionOf(draft).variants, [
    { key: 'control', weight: 0.5 },
    { key: 'treatment', weight: 0.5, value: { price: 2.99 } },
  ]);
  assert.equal(readPayload('  '), {});
  draft.variants[0]!.payload = '{price: 2.99}';
  const problems = clientProblems(draft);
  assert.is(problems.length, 1);
  assert.is(problems[0]?.field, '/variants/0/value');
  assert.match(problems[0]?.message ?? '', /^must be JSON/);
  assert.is(inputIdOf('/variants/0/value'), 'variant-value-0');
  assert.ok(placeProblems(problems, 2).byField.has('/variants/0/value'));
  draft.variants[0]!.payload = JSON.stringify('x'.repeat(9000));
  assert.match(clientProblems(draft)[0]?.message ?? '', /at most 8192 bytes/);
  const stored2 = draftOf(stored);
  stored2.variants[1]!.payload = '{"headline": "Last chance"}';
  assert.equal(patchOf(stored, stored2)?.variants?.[1], {
    key: 'urgency',
    weight: 0.33,
    value: { headline: 'Last chance' },
  });
});

it("saving an edit keeps each variant's payload", () => {
  const draft = draftOf(stored);
  const edited = { ...draft, variants: draft.variants.map((v, i) => (i === 0 ? { ...v, weight: '0.34' } : v)) };
  assert.is(patchOf(stored, edited), null, 'nothing changed');
  const renamed = { ...draft, name: 'Paywall headline' };
  assert.equal(patchOf(stored, renamed), { name: 'Paywall headline' });
  const reweighted = {
    ...draft,
    variants: draft.variants.map((v, i) => ({ ...v, weight: ['0.5', '0.25', '0.25'][i]! })),
  };
  assert.equal(
    patchOf(stored, reweighted)?.variants?.map((v) => v.value),
    [null, { headline: 'Only today!' }, null],
  );
});

it.run();
