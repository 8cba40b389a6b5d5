import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAdminApiClient } from '../src/admin-api-client.js';
import { readAdminApiConfig } from '../src/config.js';
import { CliError } from '../src/cli-error.js';
import { listExperiments, updateExperiment } from '../src/commands/experiments.js';
import type { RunningServer } from '../src/commands/serve.js';
import { ADMIN_TOKEN, runCli, startCliServer } from './helpers/cli-server.js';

const it = suite<{ root: string; dataDir: string; server: RunningServer }>('experiments through a running server');
it.before(async (ctx) => {
  // The server holds an embedded database on disk, whatever TEST_DB says: the point is a CLI next to it.
  ({ root: ctx.root, server: ctx.server } = await startCliServer('admin-api'));
  ctx.dataDir = join(ctx.root, 'pglite');
});
it.after(async ({ root, server }) => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Runs the real `calicritters` command with its own environment (none of the test's database settings). */
const cli = runCli;

async function serverKeys(server: RunningServer): Promise<string[]> {
  const response = await fetch(`${server.url}/v1/admin/experiments`, { headers: { 'x-admin-token': ADMIN_TOKEN } });
  return ((await response.json()) as { experiments: Array<{ key: string }> }).experiments.map((e) => e.key);
}

it('experiments create --url works while the server holds the embedded data dir, and the server lists it', async ({
  server,
  dataDir,
}) => {
  const result = await cli(
    ['experiments', 'create', 'remote_exp', '--variants', 'a:0.5,b:0.5', '--status', 'running', '--url', server.url],
    {
      ADMIN_TOKEN,
      DATA_DIR: dataDir,
    },
  );
  assert.is(result.stderr, '');
  assert.is(result.code, 0);
  assert.is(result.stdout.trim(), 'Created remote_exp (running).');
  assert.equal(await serverKeys(server), ['remote_exp']);
});

it('without --url, next to the running server, the command is refused in one line that names the holder and --url', async ({
  server,
  dataDir,
}) => {
  const result = await cli(['experiments', 'create', 'direct_exp', '--variants', 'a:0.5,b:0.5'], {
    ADMIN_TOKEN,
    DATA_DIR: dataDir,
  });
  assert.is(result.code, 1);
  assert.is(result.stdout, '');
  const lines = result.stderr.trim().split('\n');
  assert.is(lines.length, 1, result.stderr);
  assert.match(lines[0] ?? '', /^error: The embedded database in .* is in use by pid \d+/);
  assert.ok(lines[0]?.includes(`pid ${process.pid}`), 'names the server process');
  assert.match(lines[0] ?? '', /--url/);
  assert.equal(await serverKeys(server), ['remote_exp'], 'nothing changed');
});

it('a wrong admin token is one clean line about ADMIN_TOKEN and a non-zero exit; CALICRITTERS_URL works like --url', async ({
  server,
}) => {
  const wrong = await cli(['experiments', 'list'], { ADMIN_TOKEN: 'not-the-token', CALICRITTERS_URL: server.url });
  assert.is(wrong.code, 1);
  assert.is(wrong.stdout, '');
  assert.is(wrong.stderr.trim().split('\n').length, 1, wrong.stderr);
  assert.match(wrong.stderr, /^error: .*refused the admin token \(401\).*ADMIN_TOKEN/);

  const right = await cli(['experiments', 'list', '--json'], { ADMIN_TOKEN, CALICRITTERS_URL: server.url });
  assert.is(right.code, 0, right.stderr);
  assert.equal(
    (JSON.parse(right.stdout) as Array<{ key: string }>).map((e) => e.key),
    ['remote_exp'],
  );
});

it("update and list go through the admin API with the direct mode's checks and messages", async ({ server }) => {
  const api = createAdminApiClient({ url: `${server.url}/`, token: ADMIN_TOKEN });
  const updated = await updateExperiment(api, 'remote_exp', { coverage: 0.5, status: 'stopped' });
  assert.is(updated.coverage, 0.5);
  assert.is(updated.status, 'stopped');
  assert.equal(
    (await listExperiments(api)).map((e) => [e.key, e.status]),
    [['remote_exp', 'stopped']],
  );
  await rejects(
    () => updateExperiment(api, 'ghost', { status: 'running' }),
    (error: CliError) => {
      assert.instance(error, CliError);
      assert.is(error.exitCode, 1);
      assert.match(error.message, /^experiment 'ghost' does not exist \(server http:\/\/127\.0\.0\.1:\d+, 404\)$/);
      return true;
    },
  );
  // The server's own validation, reached by sending what the CLI would have refused itself.
  await rejects(
    () => api.experiments.update('remote_exp', { coverage: 7 }),
    (error: CliError) => {
      assert.is(error.exitCode, 2);
      assert.match(error.message, /coverage/);
      assert.not.match(error.message, /\n/);
      return true;
    },
  );
});

it('experiments archive --url archives through the admin API; list --include-archived shows it', async ({ server }) => {
  const env = { ADMIN_TOKEN, CALICRITTERS_URL: server.url };
  const created = await cli(
    ['experiments', 'create', 'remote_old', '--variants', 'a:0.5,b:0.5', '--url', server.url],
    env,
  );
  assert.is(created.code, 0, created.stderr);
  const archived = await cli(['experiments', 'archive', 'remote_old'], env);
  assert.is(archived.stderr, '');
  assert.is(archived.code, 0);
  assert.is(archived.stdout.trim(), 'Archived remote_old.');
  const again = await cli(['experiments', 'archive', 'remote_old', '--json'], env);
  assert.is(again.code, 0, again.stderr);
  assert.is((JSON.parse(again.stdout) as { status: string }).status, 'archived');
  assert.equal(await serverKeys(server), ['remote_exp'], 'the server leaves it out of its list');

  const list = await cli(['experiments', 'list', '--include-archived'], env);
  assert.is(list.code, 0, list.stderr);
  assert.match(list.stdout, /remote_old\s+archived/);
  assert.not.match((await cli(['experiments', 'list'], env)).stdout, /remote_old/);

  const api = createAdminApiClient({ url: server.url, token: ADMIN_TOKEN });
  await rejects(
    () => updateExperiment(api, 'remote_old', { status: 'running' }),
    (error: CliError) => {
      assert.is(error.exitCode, 1);
      assert.match(error.message, /'remote_old' is archived and cannot be changed.*409\)$/);
      return true;
    },
  );
  const ghost = await cli(['experiments', 'archive', 'ghost'], env);
  assert.is(ghost.code, 1);
  assert.match(ghost.stderr, /^error: experiment 'ghost' does not exist \(server .*, 404\)/);
});

it('a server that is not there, or not ours, is named in one line', async () => {
  const other = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>'),
  );
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  await rejects(
    () => createAdminApiClient({ url, token: ADMIN_TOKEN }).experiments.list(),
    (error: CliError) => {
      assert.match(error.message, /not the admin API's JSON/);
      return true;
    },
  );
  await new Promise((resolve) => other.close(resolve));
  await rejects(
    () => createAdminApiClient({ url, token: ADMIN_TOKEN }).experiments.list(),
    (error: CliError) => {
      assert.instance(error, CliError);
      assert.ok(error.message.includes(`cannot reach the server at ${url} (connection refused)`), error.message);
      return true;
    },
  );
});

it('--url and CALICRITTERS_URL need an http(s) URL and the admin token', () => {
  assert.is(readAdminApiConfig({}, {}), undefined);
  assert.equal(readAdminApiConfig({ url: 'http://localhost:3000/' }, { ADMIN_TOKEN }), {
    url: 'http://localhost:3000',
    token: ADMIN_TOKEN,
  });
  assert.equal(
    readAdminApiConfig({ adminToken: 'flag-token' }, { CALICRITTERS_URL: 'https://ab.example.com/ab', ADMIN_TOKEN }),
    {
      url: 'https://ab.example.com/ab',
      token: 'flag-token',
    },
  );
  for (const [flags, env, name] of [
    [{ url: 'localhost:3000' }, { ADMIN_TOKEN }, '--url'],
    [{}, { CALICRITTERS_URL: 'ftp://x', ADMIN_TOKEN }, 'CALICRITTERS_URL'],
    [{ url: 'http://localhost:3000' }, {}, 'ADMIN_TOKEN'],
  ] as const) {
    try {
      readAdminApiConfig(flags, env);
      assert.unreachable(JSON.stringify(flags));
    } catch (error) {
      assert.instance(error, CliError);
      assert.is((error as CliError).exitCode, 2);
      assert.ok((error as Error).message.includes(name), (error as Error).message);
    }
  }
});

it.run();
