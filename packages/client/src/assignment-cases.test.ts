import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';
import type { AssignableExperiment } from '@ab-calicritters/core';
import { createFakeFetch, setup } from './fakes.js';

interface AssignmentCase {
  experiment: AssignableExperiment;
  user_id: string;
  variant: string | null;
}
const table = createRequire(import.meta.url)('@ab-calicritters/core/spec/assignment-cases.json') as {
  cases: AssignmentCase[];
};

test('offline, getVariant agrees with every case of core spec/assignment-cases.json', async () => {
  assert.ok(table.cases.length >= 50);
  const offline = createFakeFetch(() => new Error('offline'));
  const experiments = [...new Map(table.cases.map((c) => [c.experiment.key, c.experiment])).values()];
  for (const userId of new Set(table.cases.map((c) => c.user_id))) {
    const { client } = setup({
      userId,
      bootstrap: experiments,
      fetch: offline.fetch,
      autoRefresh: true,
      autoExposure: false,
    });
    await client.ready;
    assert.is(await client.refreshAssignments(), false);
    for (const c of table.cases.filter((x) => x.user_id === userId)) {
      assert.is(client.getVariant(c.experiment.key), c.variant, `${c.experiment.key} / ${c.user_id}`);
    }
  }
});

test('before loading finishes, getVariant already agrees with the spec table', () => {
  for (const c of table.cases) {
    const { client } = setup({ userId: c.user_id, bootstrap: [c.experiment], autoExposure: false });
    assert.is(client.getVariant(c.experiment.key), c.variant, `${c.experiment.key} / ${c.user_id}`);
  }
});

test.run();
