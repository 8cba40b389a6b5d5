/**
 * The client and the server pick the same variant for every case of core's spec/assignment-cases.json: offline (from
 * bootstrap definitions) and after refreshAssignments() from a real server holding the same definitions.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { experimentDefinitionProblems, createAbRouter } from '@ab-calicritters/server';
import { createTestStorage } from '@ab-calicritters/server/testing';
import type { AssignableExperiment } from '@ab-calicritters/core';
import { createClient, createMemoryStorage } from '@ab-calicritters/client';

interface AssignmentCase {
  experiment: AssignableExperiment;
  user_id: string;
  variant: string | null;
}
const table = createRequire(import.meta.url)('@ab-calicritters/core/spec/assignment-cases.json') as {
  cases: AssignmentCase[];
};
const ADMIN = 'agreement-admin-token';

test('for every spec case the server, the offline client and the table agree', async () => {
  const db = await createTestStorage();
  const app = new Koa();
  const router = createAbRouter({ storage: db.storage, adminToken: ADMIN, experimentCacheTtlMs: 0 });
  app.use(router.routes());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const experiments = [...new Map(table.cases.map((c) => [c.experiment.key, c.experiment])).values()];
    // The admin API refuses malformed definitions (weights not summing to 1) that assign() only tolerates.
    const accepted = experiments.filter((e) => experimentDefinitionProblems({ ...e, status: 'running' }).length === 0);
    assert.ok(accepted.length >= experiments.length - 1, 'at most the deliberately malformed case is left out');
    for (const e of accepted) {
      const res = await fetch(`${baseUrl}/v1/admin/experiments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-admin-token': ADMIN },
        body: JSON.stringify({ ...e, status: 'running' }),
      });
      assert.is(res.status, 201, e.key);
    }
    let compared = 0;
    for (const userId of new Set(table.cases.map((c) => c.user_id))) {
      const client = createClient({
        baseUrl,
        userId,
        bootstrap: accepted,
        storage: createMemoryStorage(),
        autoRefresh: false,
        autoExposure: false,
        flushIntervalMs: 0,
      });
      await client.ready;
      const offline = new Map(accepted.map((e) => [e.key, client.getVariant(e.key)]));
      assert.ok(await client.refreshAssignments(), 'refresh succeeded');
      for (const c of table.cases.filter(
        (x) => x.user_id === userId && accepted.some((e) => e.key === x.experiment.key),
      )) {
        const label = `${c.experiment.key} / ${c.user_id}`;
        assert.is(offline.get(c.experiment.key), c.variant, `offline ${label}`);
        assert.is(client.getVariant(c.experiment.key), c.variant, `server ${label}`);
        compared++;
      }
      await client.shutdown(1000);
    }
    assert.ok(compared >= 50, `compared ${compared} cases`);
  } finally {
    server.close();
    await db.close();
  }
});

test.run();
