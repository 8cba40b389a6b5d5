import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { StoredExperiment } from '../storage/experiment-store.js';
import { createAssignmentCache } from './assignment-cache.js';

const row = { variant: 'control', assignedAt: '2026-06-01T12:00:00.000Z' };
const experiment = (id: string, status: StoredExperiment['status']) => ({ id, key: id, status }) as StoredExperiment;
const definitions = (...experiments: StoredExperiment[]) => new Map(experiments.map((e) => [e.key, e]));

test('keeps a row per experiment and user, and answers it until the TTL passes', () => {
  let now = 1_000_000;
  const cache = createAssignmentCache({ size: 10, ttlMs: 60_000, now: () => now });
  cache.set(cache.scope('e1'), 'u1', row);
  assert.equal(cache.get(cache.scope('e1'), 'u1'), { ...row, expires: 60 });
  assert.is(cache.get(cache.scope('e1'), 'u2'), undefined);
  assert.is(cache.get(cache.scope('e2'), 'u1'), undefined);
  now += 59_999;
  assert.ok(cache.get(cache.scope('e1'), 'u1'));
  now += 1;
  assert.is(cache.get(cache.scope('e1'), 'u1'), undefined, 'expired: read again');
  assert.is(cache.size, 0, 'and forgotten');
});

test('holds at most size rows, the least recently used evicted first', () => {
  const cache = createAssignmentCache({ size: 2, ttlMs: 60_000 });
  cache.set('e1', 'a', row);
  cache.set('e1', 'b', row);
  assert.ok(cache.get('e1', 'a'));
  cache.set('e1', 'c', row);
  assert.is(cache.size, 2);
  assert.is(cache.get('e1', 'b'), undefined);
  assert.ok(cache.get('e1', 'a') && cache.get('e1', 'c'));
});

test('a status change or a missing experiment drops that experiment rows, and only its', () => {
  const cache = createAssignmentCache({ size: 10, ttlMs: 60_000 });
  cache.sync(definitions(experiment('e1', 'running'), experiment('e2', 'running'), experiment('e3', 'running')));
  for (const id of ['e1', 'e2', 'e3']) cache.set(cache.scope(id), 'u1', row);

  const same = definitions(experiment('e1', 'running'), experiment('e2', 'running'), experiment('e3', 'running'));
  cache.sync(same);
  assert.ok(
    ['e1', 'e2', 'e3'].every((id) => cache.get(cache.scope(id), 'u1')),
    'a reload with no change keeps all',
  );

  cache.sync(definitions(experiment('e1', 'stopped'), experiment('e2', 'running')));
  assert.is(cache.get(cache.scope('e1'), 'u1'), undefined, 'status changed');
  assert.ok(cache.get(cache.scope('e2'), 'u1'), 'unchanged');
  assert.is(cache.get(cache.scope('e3'), 'u1'), undefined, 'gone');

  cache.set(cache.scope('e1'), 'u1', row);
  assert.ok(cache.get(cache.scope('e1'), 'u1'), 'new rows are kept under the new scope');
});

test('a row filed under a scope taken before a drop is never answered', () => {
  const cache = createAssignmentCache({ size: 10, ttlMs: 60_000 });
  cache.sync(definitions(experiment('e1', 'running')));
  const before = cache.scope('e1');
  cache.sync(definitions(experiment('e1', 'archived')));
  cache.set(before, 'u1', row); // a statement that was in flight during the archive
  assert.is(cache.get(cache.scope('e1'), 'u1'), undefined);
});

test.run();
