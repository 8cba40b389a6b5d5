/** `calicritters loadtest cleanup` deletes exactly the load-test users' rows (and, when asked, the runs). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { createTestStorage } from '@ab-calicritters/server/testing';
import type { Storage } from '@ab-calicritters/server';
import { formatCleanup, loadtestCleanup } from '../src/loadtest/loadtest-cleanup.js';

async function seed(storage: Storage, users: string[]) {
  await storage.experiments.create({
    key: 'cleanup_exp',
    status: 'running',
    variants: [
      { key: 'a', weight: 0.5 },
      { key: 'b', weight: 0.5 },
    ],
  });
  const [experiment] = await storage.experiments.listWithIds();
  const now = new Date().toISOString();
  for (const user of users) {
    await storage.assignments.upsertSticky(user, [{ experiment_id: experiment!.id, variant: 'a' }]);
    await storage.events.insertBatch([
      {
        event_id: randomUUID(),
        user_id: user,
        name: 'app_open',
        client_timestamp: now,
        occurred_at: now,
        properties: {},
      },
      {
        event_id: randomUUID(),
        user_id: user,
        name: 'purchase',
        client_timestamp: now,
        occurred_at: now,
        properties: {},
      },
    ]);
  }
  await storage.loadTests.createRun({ name: 'cleanup-run', scenario: 'mixed', phase: 'baseline', target: 'http://x' });
}

test('a dry run counts; a cleanup deletes only load-test users, and the runs only with --runs', async () => {
  const db = await createTestStorage();
  try {
    // 'salt-1' contains the prefix but does not start with it: a real user.
    await seed(db.storage, ['lt-run1-0', 'lt-run1-1', 'real-user', 'salt-1']);
    const dry = await loadtestCleanup(db.storage, { dryRun: true, runs: true });
    assert.equal(dry, { assignments: 2, events: 4, runs: 1 });
    assert.match(
      formatCleanup(dry, true, true),
      /Would delete 2 assignment\(s\) and 4 event\(s\).*1 recorded run\(s\); nothing was deleted/,
    );
    assert.is((await db.storage.events.listForUser('lt-run1-0')).length, 2, 'a dry run deletes nothing');

    const done = await loadtestCleanup(db.storage, {});
    assert.equal(done, { assignments: 2, events: 4, runs: 0 });
    for (const user of ['lt-run1-0', 'lt-run1-1'])
      assert.is((await db.storage.events.listForUser(user)).length, 0, user);
    for (const user of ['real-user', 'salt-1']) assert.is((await db.storage.events.listForUser(user)).length, 2, user);
    assert.is((await db.storage.loadTests.listRuns()).length, 1, 'runs stay without --runs');

    assert.equal(await loadtestCleanup(db.storage, { runs: true }), { assignments: 0, events: 0, runs: 1 });
    assert.is((await db.storage.loadTests.listRuns()).length, 0);
  } finally {
    await db.close();
  }
});

test.run();
