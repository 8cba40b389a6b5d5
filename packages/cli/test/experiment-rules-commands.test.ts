import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { createRuleAdmin } from '@ab-calicritters/server';
import { createTestStorage, type TestDatabase } from '@ab-calicritters/server/testing';
import {
  createExperiment,
  parseCondition,
  parseNamespace,
  parseVariantValues,
  releaseExperiment,
  updateExperiment,
} from '../src/commands/experiments.js';
import { formatExperimentRules, showExperiment } from '../src/commands/experiments-show.js';
import type { RunningServer } from '../src/commands/serve.js';
import { ADMIN_TOKEN, cliFailure, runCli, startCliServer } from './helpers/cli-server.js';

const parsing = suite('experiment rule options');

parsing(
  '--condition, --namespace and --variant-value read JSON and ranges, naming the option when they cannot',
  async () => {
    assert.equal(parseCondition('{"country":{"$in":["CA"]}}'), { country: { $in: ['CA'] } });
    assert.is(parseCondition('null'), null);
    assert.equal(parseNamespace('checkout:0.3:0.5'), ['checkout', 0.3, 0.5]);
    assert.equal(parseNamespace('team:checkout:0:1'), ['team:checkout', 0, 1]);
    assert.is(parseNamespace('none'), null);
    assert.equal(
      [...parseVariantValues(['a={"x":1}', 'b="two=2"'])],
      [
        ['a', { x: 1 }],
        ['b', 'two=2'],
      ],
    );
    const cases: Array<[() => unknown, RegExp]> = [
      [() => parseCondition('{country'), /--condition takes JSON/],
      [() => parseCondition('[1]'), /--condition takes a JSON object/],
      [() => parseNamespace('checkout'), /--namespace takes name:start:end/],
      [() => parseNamespace('checkout:a:1'), /--namespace takes name:start:end/],
      [() => parseNamespace(':0:1'), /--namespace takes name:start:end/],
      [() => parseVariantValues(['a']), /--variant-value takes key=<json>/],
      [() => parseVariantValues(['a=nope']), /--variant-value a takes JSON/],
      [() => parseVariantValues(['a=1', 'a=2']), /twice/],
    ];
    for (const [run, message] of cases) {
      const error = await cliFailure(run);
      assert.is(error.exitCode, 2);
      assert.match(error.message, message);
    }
  },
);

parsing.run();

const direct = suite<{ db: TestDatabase }>('experiments update, show and release, in the database');
direct.before(async (ctx) => {
  ctx.db = await createTestStorage();
  await createExperiment(ctx.db.storage, { key: 'price', variants: 'control:0.5,discount:0.5', status: 'running' });
});
direct.after(async (ctx) => ctx.db.close());

direct(
  'update sets the condition, hashing, namespace and payloads; payloads survive a weight change',
  async ({ db }) => {
    const updated = await updateExperiment(db.storage, 'price', {
      condition: '{"country":{"$in":["CA","US"]},"app_version":{"$vgte":"3.2"}}',
      namespace: 'paywall:0:0.5',
      variantValues: ['discount={"price":2.99}'],
    });
    assert.equal(updated.condition, { country: { $in: ['CA', 'US'] }, app_version: { $vgte: '3.2' } });
    assert.equal(updated.namespace, ['paywall', 0, 0.5]);
    assert.equal(updated.variants, [
      { key: 'control', weight: 0.5 },
      { key: 'discount', weight: 0.5, value: { price: 2.99 } },
    ]);
    const reweighted = await updateExperiment(db.storage, 'price', { variants: 'control:0.4,discount:0.6' });
    assert.equal(reweighted.variants, [
      { key: 'control', weight: 0.4 },
      { key: 'discount', weight: 0.6, value: { price: 2.99 } },
    ]);
    const unknown = await cliFailure(() => updateExperiment(db.storage, 'price', { variantValues: ['ghost=1'] }));
    assert.is(unknown.exitCode, 2);
    assert.match(unknown.message, /names no variant of 'price': ghost/);
    // The rules of the server: the hash attribute of a started experiment is fixed (exit 1), a bad operator is exit 2.
    assert.is(
      (await cliFailure(() => updateExperiment(db.storage, 'price', { hashAttribute: 'device_id' }))).exitCode,
      1,
    );
    const bad = await cliFailure(() =>
      updateExperiment(db.storage, 'price', { condition: '{"country":{"$inn":["CA"]}}' }),
    );
    assert.is(bad.exitCode, 2);
    assert.match(bad.message, /\/condition\/country\/\$inn/);
  },
);

direct('show prints the rules in words with the holdouts and overrides covering it', async ({ db }) => {
  const rules = createRuleAdmin(db.storage);
  await rules.holdouts.create({ key: 'long_run', share: 0.05, all_experiments: true });
  await rules.overrides.set('price', 'qa-phone', { variant: 'discount' });
  const shown = await showExperiment({ experiments: db.storage.experiments, ...rules }, 'price');
  assert.is(shown.targeting, 'country is one of CA, US and app_version ≥ 3.2 (version)');
  assert.equal(
    shown.holdouts.map((h) => h.key),
    ['long_run'],
  );
  const text = formatExperimentRules(shown);
  assert.match(text, /^Experiment\s+price$/m);
  assert.match(text, /^Status\s+running$/m);
  assert.match(text, /^Targeting\s+country is one of CA, US and app_version ≥ 3\.2 \(version\)$/m);
  assert.match(text, /^Bucketed by\s+id$/m);
  assert.match(text, /^Namespace\s+paywall \[0, 0\.5\)$/m);
  assert.match(text, /^Holdouts\s+long_run \(5%, all experiments\)$/m);
  assert.match(text, /^Overrides\s+1 \(discount 1\)$/m);
  assert.match(text, /^ {2}discount {2}60% {2}\{"price":2\.99\}$/m);
  assert.is(
    (await cliFailure(() => showExperiment({ experiments: db.storage.experiments, ...rules }, 'ghost'))).exitCode,
    1,
  );
});

direct('release gives everyone the variant; an unknown variant is exit 2 naming the field', async ({ db }) => {
  const released = await releaseExperiment(db.storage, 'price', 'discount');
  assert.equal([released.status, released.released_variant], ['released', 'discount']);
  const rules = createRuleAdmin(db.storage);
  const text = formatExperimentRules(await showExperiment({ experiments: db.storage.experiments, ...rules }, 'price'));
  assert.match(text, /^Status\s+released → discount \(since .+\)$/m);
  assert.match(text, /^ {2}discount {2}60% \(released\)/m);
  const bad = await cliFailure(() => releaseExperiment(db.storage, 'price', 'nope'));
  assert.is(bad.exitCode, 2);
  assert.match(bad.message, /\/released_variant/);
});

direct.run();

// Through a running server, as a user types it.

const cli = runCli;

const remote = suite<{ root: string; server: RunningServer }>('experiments update, show and release, through a server');
remote.before(async (ctx) => {
  ({ root: ctx.root, server: ctx.server } = await startCliServer('experiment-rules'));
  const created = await fetch(`${ctx.server.url}/v1/admin/experiments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-token': ADMIN_TOKEN },
    body: JSON.stringify({
      key: 'price',
      variants: [
        { key: 'control', weight: 0.5 },
        { key: 'discount', weight: 0.5 },
      ],
    }),
  });
  assert.is(created.status, 201);
});
remote.after(async ({ root, server }) => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

remote('update --url with every rule option, then show --json and release --json', async ({ server }) => {
  const env = { ADMIN_TOKEN, CALICRITTERS_URL: server.url };
  const updated = await cli(
    [
      'experiments',
      'update',
      'price',
      '--condition',
      '{"platform":"ios"}',
      '--hash-attribute',
      'device_id',
      '--fallback-attribute',
      'id',
      '--namespace',
      'paywall:0.5:1',
      '--variant-value',
      'control={"price":4.99}',
      '--variant-value',
      'discount={"price":2.99}',
      '--json',
    ],
    env,
  );
  assert.is(updated.code, 0, updated.stderr);
  const record = JSON.parse(updated.stdout) as Record<string, unknown>;
  assert.equal(
    [record.condition, record.hash_attribute, record.fallback_attribute, record.namespace],
    [{ platform: 'ios' }, 'device_id', 'id', ['paywall', 0.5, 1]],
  );

  const shown = await cli(['experiments', 'show', 'price'], env);
  assert.is(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /^Targeting\s+platform is ios$/m);
  assert.match(shown.stdout, /^Bucketed by\s+device_id, else id$/m);
  const json = await cli(['experiments', 'show', 'price', '--json'], env);
  const rules = JSON.parse(json.stdout) as { targeting: string; experiment: { key: string }; overrides: unknown[] };
  assert.equal([rules.experiment.key, rules.targeting, rules.overrides], ['price', 'platform is ios', []]);

  const released = await cli(['experiments', 'release', 'price', 'discount', '--json'], env);
  assert.is(released.code, 0, released.stderr);
  assert.equal((JSON.parse(released.stdout) as { released_variant: string }).released_variant, 'discount');
  const text = await cli(['experiments', 'release', 'price', 'control'], env);
  assert.is(text.stdout.trim(), 'Released price: everyone gets control.');

  const bad = await cli(['experiments', 'release', 'price', 'nope'], env);
  assert.is(bad.code, 2);
  assert.is(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  assert.match(bad.stderr, /^error: .*\/released_variant/);
  const badNamespace = await cli(['experiments', 'update', 'price', '--namespace', 'paywall'], env);
  assert.is(badNamespace.code, 2);
  assert.match(badNamespace.stderr, /--namespace takes name:start:end/);
});

remote.run();
