import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { createRuleAdmin, type RuleAdmin } from '@ab-calicritters/server';
import { createTestStorage, type TestDatabase } from '@ab-calicritters/server/testing';
import { createAdminApiClient } from '../src/admin-api-client.js';
import { CliError } from '../src/cli-error.js';
import {
  archiveHoldout,
  createHoldout,
  formatHoldouts,
  listHoldouts,
  updateHoldout,
} from '../src/commands/holdouts.js';
import { expiryOf, formatOverrides, listOverrides, removeOverride, setOverride } from '../src/commands/overrides.js';
import type { RunningServer } from '../src/commands/serve.js';
import { ADMIN_TOKEN, cliFailure, runCli, startCliServer } from './helpers/cli-server.js';

const variants = [
  { key: 'control', weight: 0.5 },
  { key: 'urgency', weight: 0.5 },
];

const direct = suite<{ db: TestDatabase; rules: RuleAdmin }>('overrides and holdouts commands, in the database');
direct.before(async (ctx) => {
  ctx.db = await createTestStorage();
  ctx.rules = createRuleAdmin(ctx.db.storage);
  await ctx.db.storage.experiments.create({ key: 'paywall', status: 'running', variants });
  await ctx.db.storage.experiments.create({ key: 'onboarding', status: 'running', variants });
});
direct.after(async (ctx) => ctx.db.close());

direct('expiryOf reads --expires-in durations and passes --expires-at on; both, or a bad duration, is exit 2', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  assert.is(expiryOf({ expiresIn: '7d' }, now), '2026-06-08T00:00:00.000Z');
  assert.is(expiryOf({ expiresIn: '90m' }, now), '2026-06-01T01:30:00.000Z');
  assert.is(expiryOf({ expiresIn: '12h' }, now), '2026-06-01T12:00:00.000Z');
  assert.is(expiryOf({ expiresAt: '2027-01-01T00:00:00Z' }, now), '2027-01-01T00:00:00Z');
  assert.is(expiryOf({}, now), undefined);
  for (const bad of [{ expiresIn: '7 weeks' }, { expiresIn: '0d' }, { expiresIn: '1d', expiresAt: '2027-01-01' }]) {
    try {
      expiryOf(bad, now);
      assert.unreachable(JSON.stringify(bad));
    } catch (error) {
      assert.instance(error, CliError);
      assert.is((error as CliError).exitCode, 2);
    }
  }
});

direct('overrides set, replace, list and remove with the admin API checks', async ({ rules }) => {
  const first = await setOverride(rules, 'paywall', 'qa-phone', { variant: 'urgency', expiresIn: '7d', note: 'Pixel' });
  assert.is(first.created, true);
  assert.is(first.override.variant, 'urgency');
  const again = await setOverride(rules, 'paywall', 'qa-phone', { variant: 'control' });
  assert.is(again.created, false);
  assert.is(again.override.expires_at, null);
  const table = formatOverrides(await listOverrides(rules, 'paywall'));
  assert.match(table, /^USER\s+VARIANT\s+EXPIRES\s+NOTE\nqa-phone\s+control\s+never$/);
  const removed = await removeOverride(rules, 'paywall', 'qa-phone');
  assert.is(removed.variant, 'control');
  assert.is(formatOverrides(await listOverrides(rules, 'paywall')), 'No overrides.');
});

direct(
  'override refusals: bad variant or past expiry exit 2 naming the field; unknown experiment exit 1',
  async ({ rules }) => {
    const variant = await cliFailure(() => setOverride(rules, 'paywall', 'qa', { variant: 'nope' }));
    assert.is(variant.exitCode, 2);
    assert.match(variant.message, /\/variant: must be a variant of 'paywall'/);
    const past = await cliFailure(() =>
      setOverride(rules, 'paywall', 'qa', { variant: 'urgency', expiresAt: '2020-01-01T00:00:00Z' }),
    );
    assert.is(past.exitCode, 2);
    assert.match(past.message, /\/expires_at: must be in the future/);
    const ghost = await cliFailure(() => setOverride(rules, 'ghost', 'qa', { variant: 'a' }));
    assert.is(ghost.exitCode, 1);
    assert.match(ghost.message, /experiment 'ghost' does not exist/);
    assert.is((await cliFailure(() => removeOverride(rules, 'paywall', 'nobody'))).exitCode, 1);
  },
);

direct('holdouts create, list, update and archive', async ({ rules }) => {
  const created = await createHoldout(rules, 'h2', { share: 0.05, experiments: 'paywall, onboarding' });
  assert.equal(created.experiment_keys, ['paywall', 'onboarding']);
  assert.is(created.seed, 'h2');
  const all = await updateHoldout(rules, 'h2', { all: true, share: 0.1 });
  assert.is(all.all_experiments, true);
  assert.match(
    formatHoldouts(await listHoldouts(rules)),
    /^KEY\s+STATUS\s+SHARE\s+EXPERIMENTS\nh2\s+active\s+0.1\s+\(all\)$/,
  );
  const archived = await archiveHoldout(rules, 'h2');
  assert.is(archived.status, 'archived');
  assert.is(formatHoldouts(await listHoldouts(rules)), 'No holdouts.');
  assert.is((await listHoldouts(rules, { includeArchived: true })).length, 1);
});

direct('holdout refusals name the flag or field, with exit 2 for bad input and 1 for conflicts', async ({ rules }) => {
  const cases: Array<[() => Promise<unknown>, number, RegExp]> = [
    [() => createHoldout(rules, 'h3', { share: 0.05 }), 2, /\/experiment_keys/],
    [() => createHoldout(rules, 'h3', { share: 0.05, experiments: 'a', all: true }), 2, /--experiments or --all/],
    [() => createHoldout(rules, 'h3', { share: 1, all: true }), 2, /\/share/],
    [() => createHoldout(rules, 'h3', { share: 0.05, experiments: 'paywall,ghost' }), 2, /\/experiment_keys\/1/],
    [() => createHoldout(rules, 'h2', { share: 0.05, all: true }), 1, /already exists/],
    [() => updateHoldout(rules, 'h2', { share: 0.2 }), 1, /archived/],
    [() => updateHoldout(rules, 'h2', {}), 2, /Nothing to update/],
    [() => updateHoldout(rules, 'h2', { seed: 'x' }), 2, /seed cannot change/],
    [() => updateHoldout(rules, 'ghost', { share: 0.2 }), 1, /does not exist/],
    [() => archiveHoldout(rules, 'ghost'), 1, /does not exist/],
  ];
  for (const [run, exitCode, message] of cases) {
    const error = await cliFailure(run);
    assert.is(error.exitCode, exitCode, error.message);
    assert.match(error.message, message);
  }
});

direct.run();

// The server holds an embedded database on disk, whatever TEST_DB says: the point is a CLI next to it.

const cli = runCli;

const remote = suite<{ root: string; server: RunningServer }>('overrides and holdouts commands, through a server');
remote.before(async (ctx) => {
  ({ root: ctx.root, server: ctx.server } = await startCliServer('rules-api'));
  const created = await fetch(`${ctx.server.url}/v1/admin/experiments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-token': ADMIN_TOKEN },
    body: JSON.stringify({ key: 'paywall', status: 'running', variants }),
  });
  assert.is(created.status, 201);
});
remote.after(async ({ root, server }) => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

remote(
  'overrides set --url --json forces the user at once; a bad variant is exit 2 on one line',
  async ({ server }) => {
    const env = { ADMIN_TOKEN, CALICRITTERS_URL: server.url };
    const set = await cli(
      ['overrides', 'set', 'paywall', 'qa 1/phone', 'urgency', '--expires-in', '1d', '--json'],
      env,
    );
    assert.is(set.code, 0, set.stderr);
    const record = JSON.parse(set.stdout) as { user_id: string; variant: string; expires_at: string };
    assert.is(record.user_id, 'qa 1/phone');
    assert.is(record.variant, 'urgency');
    assert.ok(Date.parse(record.expires_at) > Date.now());
    const assigned = await fetch(`${server.url}/v1/assignment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'qa 1/phone', experiment_keys: ['paywall'] }),
    });
    const body = (await assigned.json()) as { assignments: Array<{ variant: string }> };
    assert.is(body.assignments[0]?.variant, 'urgency');

    const bad = await cli(['overrides', 'set', 'paywall', 'qa-2', 'nope'], env);
    assert.is(bad.code, 2);
    assert.is(bad.stderr.trim().split('\n').length, 1, bad.stderr);
    assert.match(bad.stderr, /^error: .*\/variant: must be a variant of 'paywall'/);
  },
);

remote('the admin API client lists, replaces and removes overrides, and manages holdouts', async ({ server }) => {
  const api = createAdminApiClient({ url: server.url, token: ADMIN_TOKEN });
  assert.equal(
    (await listOverrides(api, 'paywall')).map((o) => o.user_id),
    ['qa 1/phone'],
  );
  const replaced = await setOverride(api, 'paywall', 'qa 1/phone', { variant: 'control' });
  assert.is(replaced.created, false);
  const created = await setOverride(api, 'paywall', 'qa-3', { variant: 'control' });
  assert.is(created.created, true);
  assert.is((await removeOverride(api, 'paywall', 'qa 1/phone')).user_id, 'qa 1/phone');
  assert.is((await cliFailure(() => removeOverride(api, 'paywall', 'qa 1/phone'))).exitCode, 1);

  const holdout = await cli(['holdouts', 'create', 'h1', '--share', '0.05', '--all', '--url', server.url], {
    ADMIN_TOKEN,
  });
  assert.is(holdout.code, 0, holdout.stderr);
  assert.is(holdout.stdout.trim(), 'Created h1 (0.05 held out).');
  const updated = await updateHoldout(api, 'h1', { experiments: 'paywall' });
  assert.equal(updated.experiment_keys, ['paywall']);
  assert.is((await cliFailure(() => updateHoldout(api, 'h1', { experiments: 'ghost' }))).exitCode, 2);
  assert.is((await archiveHoldout(api, 'h1')).status, 'archived');
  assert.equal(await listHoldouts(api), []);
});

remote.run();
