/**
 * `calicritters audit` against a running server: changes made through `experiments … --url --actor` are listed with
 * their actor, action and changed fields, filtered by `--entity`, as text or `--json`; bad flags exit 2.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { changedFields, entityFilter } from '../src/commands/audit.js';
import type { RunningServer } from '../src/commands/serve.js';
import { ADMIN_TOKEN, runCli, startCliServer } from './helpers/cli-server.js';

const it = suite<{ root: string; server: RunningServer }>('calicritters audit');
it.before(async (ctx) => {
  ({ root: ctx.root, server: ctx.server } = await startCliServer('audit'));
});
it.after(async ({ root, server }) => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const cli = runCli;

it('lists the changes made through the admin API with actor, action and changed fields', async ({ server }) => {
  const env = { ADMIN_TOKEN, CALICRITTERS_URL: server.url };
  const created = await cli(['experiments', 'create', 'paywall', '--variants', 'a:0.5,b:0.5', '--actor', 'Zoë'], env);
  assert.is(created.code, 0, created.stderr);
  const updated = await cli(['experiments', 'update', 'paywall', '--coverage', '0.5'], { ...env, ADMIN_ACTOR: 'ops' });
  assert.is(updated.code, 0, updated.stderr);

  const json = await cli(['audit', '--entity', 'experiment:paywall', '--json'], env);
  assert.is(json.code, 0, json.stderr);
  const entries = JSON.parse(json.stdout) as Array<{ actor: string; action: string; entity_key: string }>;
  assert.equal(
    entries.map((e) => [e.action, e.actor, e.entity_key]),
    [
      ['update', 'ops', 'paywall'],
      ['create', 'Zoë', 'paywall'],
    ],
  );

  const text = await cli(['audit', '--limit', '1'], env);
  assert.is(text.code, 0, text.stderr);
  assert.match(
    text.stdout.trim(),
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z {2}ops {2}update {2}experiment:paywall {2}coverage$/,
  );
});

it('bad flags and a missing --url exit 2 with one line', async ({ server }) => {
  const env = { ADMIN_TOKEN, CALICRITTERS_URL: server.url };
  for (const args of [
    ['audit', '--entity', 'Experiment:x'],
    ['audit', '--entity', 'experiment:'],
    ['audit', '--limit', '0'],
  ]) {
    const result = await cli(args, env);
    assert.is(result.code, 2, args.join(' '));
    assert.is(result.stderr.trim().split('\n').length, 1, result.stderr);
  }
  const local = await cli(['audit'], { ADMIN_TOKEN });
  assert.is(local.code, 2);
  assert.match(local.stderr, /--url/);
});

it('entityFilter and changedFields', () => {
  assert.equal(entityFilter('experiment:a:b'), { entity_kind: 'experiment', entity_key: 'a:b' });
  assert.equal(entityFilter('holdout'), { entity_kind: 'holdout' });
  assert.equal(entityFilter(undefined), {});
  assert.equal(
    changedFields({
      diff: [
        { path: '/variants/0/weight', op: 'changed' },
        { path: '/variants/1/weight', op: 'changed' },
        { path: '/updated_at', op: 'changed' },
      ],
    }),
    ['variants'],
  );
});

it.run();
