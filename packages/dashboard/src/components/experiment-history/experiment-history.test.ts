import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AuditEntry } from '../../api/admin-api-client.js';
import { actionLabel, changedFields, historyRows } from './experiment-history.model.js';

const it = suite('experiment history model');

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: 1,
  at: '2026-11-30T10:00:00.000Z',
  actor: 'ana',
  method: 'PATCH',
  path: '/v1/admin/experiments/x',
  entity_kind: 'experiment',
  entity_key: 'x',
  action: 'update',
  before: null,
  after: null,
  diff: [],
  request_id: null,
  ...over,
});

it('lists the top-level fields a change touched, once each, without updated_at', () => {
  assert.equal(
    changedFields([
      { path: '/variants/0/weight', op: 'changed' },
      { path: '/variants/1/weight', op: 'changed' },
      { path: '/updated_at', op: 'changed' },
      { path: '/coverage', op: 'changed' },
    ]),
    ['variants', 'coverage'],
  );
});

it('says what happened in the past tense, naming other kinds', () => {
  assert.is(actionLabel({ action: 'archive', entity_kind: 'experiment' }), 'archived');
  assert.is(actionLabel({ action: 'create', entity_kind: 'override' }), 'override created');
  assert.is(actionLabel({ action: 'ship_winner', entity_kind: 'experiment' }), 'ship winner');
});

it('a create lists no fields; rows keep the server order', () => {
  const rows = historyRows([
    entry({ id: 2, diff: [{ path: '/status', op: 'changed', before: 'draft', after: 'running' }] }),
    entry({ id: 1, action: 'create', diff: [{ path: '/key', op: 'added', after: 'x' }] }),
  ]);
  assert.equal(
    rows.map((r) => [r.id, r.action, r.fields]),
    [
      [2, 'updated', ['status']],
      [1, 'created', []],
    ],
  );
});

it.run();
