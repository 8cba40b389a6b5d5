/** The `?<experiment_key>=<index>` QA override through the client: GrowthBook's 16 spec cases, off by default. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { TargetedExperiment } from '@ab-calicritters/core';
import { EXPOSURE_EVENT } from './client.js';
import { createFakeServer, sentEvents, setup } from './fakes.js';

const corePackage = createRequire(import.meta.url).resolve('@ab-calicritters/core/package.json');
const spec = JSON.parse(readFileSync(new URL('spec/growthbook-sdk-cases.json', `file://${corePackage}`), 'utf8')) as {
  getQueryStringOverride: Array<[string, string, string, number, number | null]>;
};

function experiment(key: string, count: number): TargetedExperiment {
  return {
    key,
    variants: Array.from({ length: count }, (_, i) => ({ key: `v${i}`, weight: 1 / count, value: { index: i } })),
  };
}

test('all 16 getQueryStringOverride spec cases force the variant through the client, without exposures', async () => {
  const cases = spec.getQueryStringOverride;
  assert.is(cases.length, 16);
  for (const [name, key, url, count, expected] of cases) {
    for (const mode of ['bootstrap', 'definitions'] as const) {
      const { client, server } = setup({
        userId: 'qa-phone',
        [mode]: [experiment(key, count)],
        enableQueryStringOverride: true,
        location: () => url,
      });
      await client.ready;
      const got = client.getAssignment(key);
      if (expected === null) {
        assert.is.not(got.source, 'query_string', `${name} (${mode})`);
        continue;
      }
      assert.equal(got, {
        variant: `v${expected}`,
        reason: 'forced',
        value: { index: expected },
        source: 'query_string',
      });
      assert.is(client.getVariant(key), `v${expected}`, `${name} (${mode})`);
      assert.equal(client.getVariantValue(key, { index: -1 }), { index: expected });
      await client.flush();
      assert.is(sentEvents(server.requests).filter((e) => e.name === EXPOSURE_EVENT).length, 0, 'forced: no exposure');
    }
  }
});

test("the override wins over the server's answer, and is off unless enabled", async () => {
  const server = createFakeServer({ paywall: { variant: 'v0', reason: 'assigned', value: { index: 0 } } });
  const url = () => 'https://app.example/?paywall=1';
  const enabled = setup(
    { bootstrap: [experiment('paywall', 2)], enableQueryStringOverride: true, location: url },
    server,
  );
  await enabled.client.refreshAssignments();
  assert.is(enabled.client.getVariant('paywall'), 'v1');
  const disabled = setup({ bootstrap: [experiment('paywall', 2)], location: url }, server);
  await disabled.client.refreshAssignments();
  assert.is(disabled.client.getVariant('paywall'), 'v0');
});

test('without a local definition the variant count is unknown, so the override does not apply', async () => {
  const server = createFakeServer({ paywall: 'v0' });
  const { client } = setup({ enableQueryStringOverride: true, location: () => '/?paywall=1' }, server);
  await client.refreshAssignments();
  assert.is(client.getVariant('paywall'), 'v0');
});

test('the default location is globalThis.location; a failing provider means no override', async () => {
  const host = globalThis as { location?: unknown };
  host.location = { href: 'https://app.example/?paywall=1' };
  try {
    const { client } = setup({ definitions: [experiment('paywall', 2)], enableQueryStringOverride: true });
    assert.is(client.getVariant('paywall'), 'v1');
  } finally {
    delete host.location;
  }
  const { client, errors } = setup({
    definitions: [experiment('paywall', 2)],
    enableQueryStringOverride: true,
    location: () => {
      throw new Error('no window');
    },
  });
  assert.is(client.getAssignment('paywall').source, 'definitions');
  assert.equal(errors, []);
});

test.run();
