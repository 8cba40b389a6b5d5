/**
 * `calicritters holdouts results <key>`: through a running server (assignments and events sent to it, its rollup run
 * through the admin API, the results read with the dashboard token) and in the database directly.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomUUID } from 'node:crypto';
import { isInHoldout, type HoldoutResults } from '@ab-calicritters/core';
import { createRuleAdmin, readHoldoutResults } from '@ab-calicritters/server';
import { createTestStorage } from '@ab-calicritters/server/testing';
import { CliError } from '../src/cli-error.js';
import {
  formatHoldoutResults,
  showHoldoutResults,
  type HoldoutResultsSource,
} from '../src/commands/holdout-results.js';
import {
  ADMIN_TOKEN,
  cliFailure,
  DASHBOARD_TOKEN,
  runCli,
  startCliServer,
  type CliServer,
} from './helpers/cli-server.js';

const it = suite<{ cli: CliServer }>('holdouts results');
const HOLDOUT = { key: 'long_run', share: 0.3 };
const USERS = Array.from({ length: 30 }, (_, i) => `user-${i}`);

const send = (cli: CliServer, path: string, body: unknown, token = ADMIN_TOKEN) =>
  fetch(`${cli.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-token': token },
    body: JSON.stringify(body),
  });

it.before(async (ctx) => {
  ctx.cli = await startCliServer('holdout-results');
  const { cli } = ctx;
  const variants = [
    { key: 'control', weight: 0.5 },
    { key: 'urgency', weight: 0.5 },
  ];
  assert.is((await send(cli, '/v1/admin/experiments', { key: 'paywall', status: 'running', variants })).status, 201);
  assert.is((await send(cli, '/v1/admin/funnels', { name: 'buy', steps: ['open', 'purchase'] })).status, 201);
  assert.is((await send(cli, '/v1/admin/holdouts', { ...HOLDOUT, all_experiments: true })).status, 201);
  for (const user of USERS) {
    assert.is((await send(cli, '/v1/assignment', { user_id: user, experiment_keys: ['paywall'] })).status, 200);
  }
  const now = new Date().toISOString();
  const events = USERS.filter((_, i) => i % 3 === 0).map((user) => ({
    event_id: randomUUID(),
    user_id: user,
    name: 'purchase',
    timestamp: now,
  }));
  const sent = await send(cli, '/v1/events', { events });
  assert.is(sent.status, 200, await sent.text());
  // The rollup runs in the background (202): wait until the results say it computed this window.
  assert.is((await send(cli, '/v1/admin/rollups', { job: 'experiments', window_days: 7 })).status, 202);
  for (let tries = 0; ; tries++) {
    const res = await fetch(`${cli.server.url}/v1/holdouts/long_run/results?window_days=7`, {
      headers: { 'x-dashboard-token': DASHBOARD_TOKEN },
    });
    if (((await res.json()) as HoldoutResults).computed_at !== null) break;
    if (tries > 300) throw new Error('the rollup never finished');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});
it.after(async (ctx) => ctx.cli?.close());

it('--url --json prints the endpoint answer: held-out and exposed users as assigned', async ({ cli }) => {
  const run = await runCli(['holdouts', 'results', 'long_run', '--url', cli.server.url, '--json'], {
    DASHBOARD_TOKEN,
  });
  assert.is(run.code, 0, run.stderr);
  const results = JSON.parse(run.stdout) as HoldoutResults;
  const held = USERS.filter((u) => isInHoldout(HOLDOUT, u)).length;
  assert.equal(
    results.assignments.map((a) => [a.variant, a.assigned_users]),
    [
      ['holdout', held],
      ['exposed', USERS.length - held],
    ],
  );
  const purchase = results.metrics.find((m) => m.metric === 'purchase');
  const converted = purchase?.totals.reduce((sum, t) => sum + t.converted_users, 0);
  assert.is(converted, 10);
});

it('without --json a table per metric; an unknown holdout is exit 1, a missing token exit 2', async ({ cli }) => {
  const run = await runCli(['holdouts', 'results', 'long_run', '--url', cli.server.url], { DASHBOARD_TOKEN });
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /^Holdout long_run: 30\.0% held out of all experiments; active/);
  assert.match(run.stdout, /METRIC\s+HOLDOUT\s+EXPOSED\s+LIFT/);
  assert.match(run.stdout, /\npurchase\s/);
  const unknown = await runCli(['holdouts', 'results', 'ghost', '--url', cli.server.url], { DASHBOARD_TOKEN });
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, /Holdout 'ghost' does not exist/);
  const noToken = await runCli(['holdouts', 'results', 'long_run', '--url', cli.server.url], {});
  assert.is(noToken.code, 2);
  assert.match(noToken.stderr, /DASHBOARD_TOKEN/);
});

it('--method and --target-effect reach the endpoint: the test it reports and the effect its power plans for', async ({
  cli,
}) => {
  const args = ['holdouts', 'results', 'long_run', '--url', cli.server.url];
  const fixed = await runCli([...args, '--method', 'fixed', '--target-effect', '0.05', '--json'], { DASHBOARD_TOKEN });
  assert.is(fixed.code, 0, fixed.stderr);
  const results = JSON.parse(fixed.stdout) as HoldoutResults;
  assert.equal([results.analysis?.method, results.analysis?.source], ['fixed', 'request']);
  const purchase = results.metrics.find((m) => m.metric === 'purchase');
  assert.equal(
    purchase?.power?.conversion.map((p) => [p.method, p.target_effect, p.target_source]),
    [['fixed', 0.05, 'stated']],
  );
  assert.is(purchase?.conversion.method, 'fixed');
  const table = await runCli([...args, '--method', 'fixed'], { DASHBOARD_TOKEN });
  assert.is(table.code, 0, table.stderr);
  assert.match(table.stdout, /^Window 7 day\(s\), fixed-horizon test \(--method\), computed /m);
  assert.match(table.stdout, /\s95% CI\s+P\s+80% POWER\n/);
  const plain = await runCli(args, { DASHBOARD_TOKEN });
  assert.match(plain.stdout, /^Window 7 day\(s\), sequential test, computed /m);
});

it('a --method outside sequential|fixed or a zero, huge or non-numeric --target-effect is exit 2 naming the flag', async ({
  cli,
}) => {
  const args = ['holdouts', 'results', 'long_run', '--url', cli.server.url];
  const method = await runCli([...args, '--method', 'bayes'], { DASHBOARD_TOKEN });
  assert.is(method.code, 2);
  assert.match(method.stderr, /Argument: method, Given: "bayes", Choices: "sequential", "fixed"/);
  for (const value of ['0', '101', '-1e9']) {
    // `=`: a value starting with a minus would otherwise read as a flag.
    const run = await runCli([...args, `--target-effect=${value}`], { DASHBOARD_TOKEN });
    assert.is(run.code, 2, `${value}: ${run.stderr}`);
    assert.match(run.stderr, /^error: --target-effect must be a non-zero relative effect from -100 to 100/);
  }
  const text = await runCli([...args, '--target-effect', 'lots'], { DASHBOARD_TOKEN });
  assert.is(text.code, 2);
  assert.match(text.stderr, /^error: --target-effect must be a number \(got 'lots'\)/);
});

it('in the database: the same results, and a window out of range is exit 2', async () => {
  const db = await createTestStorage();
  try {
    await createRuleAdmin(db.storage).holdouts.create({ key: 'h', share: 0.5, all_experiments: true });
    const source: HoldoutResultsSource = {
      holdoutResults: (key, days, { method, targetEffect }) =>
        readHoldoutResults(db.storage, key, days, method, { target_effect: targetEffect ?? null }),
    };
    const results = await showHoldoutResults(source, 'h', 7);
    assert.is(results.computed_at, null);
    assert.match(formatHoldoutResults(results), /computed never \(run `calicritters rollup`\)\nUsers: holdout 0/);
    const fixed = await showHoldoutResults(source, 'h', 7, { method: 'fixed' });
    assert.equal([fixed.analysis?.method, fixed.analysis?.source], ['fixed', 'request']);
    assert.is((await cliFailure(() => showHoldoutResults(source, 'h', 7, { targetEffect: Number.NaN }))).exitCode, 2);
    try {
      await showHoldoutResults(source, 'h', 0);
      assert.unreachable('window 0');
    } catch (error) {
      assert.instance(error, CliError);
      assert.is((error as CliError).exitCode, 2);
    }
  } finally {
    await db.close();
  }
});

it.run();
