/**
 * The deploy recipe (Dockerfile, .dockerignore, render.yaml) checked without Docker or Render: the files are parsed
 * and held against the repository and the CLI, and the commands they run are run for real on a fresh database —
 * `calicritters migrate`, the cron job's rollup, and `serve` with render.yaml's environment answering the image's
 * HEALTHCHECK.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parse as parseYaml } from 'yaml';
import { createStorage } from '@ab-calicritters/server';
import { testSql } from '@ab-calicritters/server/testing';
import { cliNodeArgs } from './helpers/cli-bin.js';

const root = new URL('../../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(root, path), 'utf8');

// ---- a small Dockerfile reader: enough for the instructions we write, not a general parser ----

interface Instruction {
  keyword: string;
  /** `--name=value` flags before the arguments (`--from=build`, `--interval=30s`). */
  flags: Record<string, string>;
  /** The arguments as written, after the flags. */
  args: string;
}

interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** Joins `\` continuations, drops comments, and splits instructions into stages at each FROM. */
function readDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    // Comment lines are ignored, also between the lines of a continued instruction.
    if (line.startsWith('#') || (line === '' && !pending)) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const flags: Record<string, string> = {};
    let args = rest;
    for (let m = /^--([a-z-]+)=(\S+)\s*/.exec(args); m; m = /^--([a-z-]+)=(\S+)\s*/.exec(args)) {
      flags[m[1] as string] = m[2] as string;
      args = args.slice(m[0].length);
    }
    const instruction = { keyword: keyword.toUpperCase(), flags, args };
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = args.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${keyword} before the first FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

/** Exec-form arguments (`["a", "b"]`), or undefined for the shell form. */
function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const value: unknown = JSON.parse(args);
  assert.ok(Array.isArray(value) && value.every((v) => typeof v === 'string'), `exec form of strings: ${args}`);
  return value as string[];
}

const stages = readDockerfile(read('Dockerfile'));
const runtime = stages.at(-1) as Stage;
const only = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const lastOf = (stage: Stage, keyword: string) => only(stage, keyword).at(-1);
const indexOfLast = (stage: Stage, keyword: string) => stage.instructions.map((i) => i.keyword).lastIndexOf(keyword);

const rootManifest = JSON.parse(read('package.json')) as { packageManager: string; engines: { node: string } };
const cliManifest = JSON.parse(read('packages/cli/package.json')) as { name: string; bin: Record<string, string> };

// ---- what the CLI reads: its environment variables and its commands ----

const cliSources = readdirSync(join(root, 'packages/cli/src'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => read(join('packages/cli/src', f)));

/**
 * Every variable the CLI reads: `env.NAME` / `process.env.NAME` anywhere in its sources, plus the names config.ts
 * reads through `env[name]` (the tokens, the rate-limit budgets), which appear there as string literals.
 */
const variablesRead = new Set([
  ...cliSources.flatMap((s) => [...s.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1] as string)),
  ...[...read('packages/cli/src/config.ts').matchAll(/'([A-Z][A-Z0-9_]{2,})'/g)].map((m) => m[1] as string),
]);

const binSource = read('packages/cli/src/bin.ts');
/** A command line is real when each word before the flags is a command yargs registers in bin.ts. */
function isCliCommand(words: string[]): boolean {
  return words.length > 0 && words.every((w) => new RegExp(`\\.command\\(\\s*'${w}[ '<]`).test(binSource));
}

// ---- render.yaml ----

interface RenderEnvVar {
  key: string;
  value?: string;
  generateValue?: boolean;
  fromDatabase?: { name: string; property: string };
}
interface RenderService {
  type: string;
  name: string;
  runtime?: string;
  dockerfilePath?: string;
  dockerContext?: string;
  dockerCommand?: string;
  preDeployCommand?: string;
  healthCheckPath?: string;
  schedule?: string;
  envVars?: RenderEnvVar[];
}
const blueprint = parseYaml(read('render.yaml')) as { services: RenderService[]; databases: Array<{ name: string }> };
const web = blueprint.services.filter((s) => s.type === 'web');
const crons = blueprint.services.filter((s) => s.type === 'cron');

/** `calicritters rollup --job all` → { program, commands: ['rollup'], flags: ['--job', 'all'] }. */
function splitCommand(line: string) {
  const [program = '', ...words] = line.trim().split(/\s+/);
  const firstFlag = words.findIndex((w) => w.startsWith('-'));
  const commands = firstFlag === -1 ? words : words.slice(0, firstFlag);
  return { program, commands, flags: firstFlag === -1 ? [] : words.slice(firstFlag) };
}

// ---- static checks ----

const it = suite('deploy recipe: Dockerfile and render.yaml');

it('the Dockerfile builds on the official Node image with the major the packages require, pnpm pinned like package.json', () => {
  const engineMajor = /(\d+)/.exec(rootManifest.engines.node)?.[1];
  assert.ok(stages.length >= 2, 'a build stage and a runtime stage');
  for (const stage of stages) {
    const match = /^(?:docker\.io\/)?(?:library\/)?node:(\d+)(?:[.-][a-z0-9.-]+)?$/.exec(stage.image);
    assert.ok(match, `${stage.image}: the official node image with a version tag`);
    assert.is(match[1], engineMajor, `${stage.image}: Node ${engineMajor}, as engines.node says`);
  }
  const pnpmVersion = rootManifest.packageManager.replace(/^pnpm@/, '');
  const build = stages[0] as Stage;
  assert.ok(
    only(build, 'RUN').some((r) => r.args.includes(`pnpm@${pnpmVersion}`)),
    `the build stage installs pnpm@${pnpmVersion}`,
  );
  assert.ok(
    only(build, 'RUN').some((r) => /pnpm install --frozen-lockfile/.test(r.args)),
    'the lockfile is installed as is',
  );
  assert.ok(
    only(build, 'RUN').some((r) => r.args.includes(`--filter ${cliManifest.name} deploy --prod`)),
    'the runtime tree is the CLI with production dependencies only',
  );
  const fromStages = only(runtime, 'COPY').map((c) => c.flags.from);
  assert.ok(fromStages.includes(build.name), 'the runtime stage copies from the build stage');
  assert.not.ok(
    only(runtime, 'RUN').some((r) => /\bpnpm\b|\bnpm (i|install)\b/.test(r.args)),
    'the runtime stage installs nothing',
  );
});

it('the runtime stage runs calicritters serve as a non-root user, with its port and data volume declared', () => {
  const cmd = lastOf(runtime, 'CMD');
  assert.ok(cmd, 'a CMD');
  assert.equal(execForm(cmd.args), ['calicritters', 'serve']);
  assert.is(lastOf(runtime, 'ENTRYPOINT'), undefined, 'no ENTRYPOINT: other commands run as `calicritters …`');
  const user = lastOf(runtime, 'USER');
  assert.ok(user && indexOfLast(runtime, 'USER') < indexOfLast(runtime, 'CMD'), 'USER before CMD');
  assert.not.ok(['root', '0', '0:0'].includes(user.args.trim()), `USER ${user.args} is not root`);

  const env = Object.fromEntries(
    only(runtime, 'ENV').flatMap((e) => [...e.args.matchAll(/([A-Z_]+)=(\S+)/g)].map((m) => [m[1], m[2]])),
  ) as Record<string, string>;
  assert.ok(
    only(runtime, 'EXPOSE').some((e) => e.args.split(/\s+/).includes(env.PORT as string)),
    'EXPOSE $PORT',
  );
  const volumes = only(runtime, 'VOLUME').flatMap((v) => execForm(v.args) ?? v.args.split(/\s+/));
  assert.ok(env.DATA_DIR, 'DATA_DIR is set');
  // The lock file sits beside the data directory, so the volume is its parent, not the directory itself.
  assert.ok(
    volumes.some((v) => (env.DATA_DIR as string).startsWith(`${v.replace(/\/$/, '')}/`)),
    `DATA_DIR ${env.DATA_DIR} and its lock file are inside a VOLUME (${volumes.join(', ')})`,
  );
  for (const name of Object.keys(env).filter((n) => n !== 'NODE_ENV'))
    assert.ok(variablesRead.has(name), `ENV ${name} is read by the CLI`);
});

it('calicritters on the image PATH is the CLI package bin, at the place the production tree is copied to', () => {
  const workdir = lastOf(runtime, 'WORKDIR')?.args.trim();
  const binPath = cliManifest.bin.calicritters?.replace(/^\.\//, '');
  assert.ok(binPath, 'the CLI package declares the calicritters bin');
  assert.ok(
    only(runtime, 'RUN').some((r) => r.args.includes(`ln -s ${workdir}/${binPath} /usr/local/bin/calicritters`)),
    `/usr/local/bin/calicritters links to ${workdir}/${binPath}`,
  );
  assert.ok(
    only(runtime, 'RUN').some((r) => new RegExp(`chmod \\S+ ${binPath}`).test(r.args)),
    'the bin is made executable',
  );
  assert.ok(isCliCommand(['serve']), 'serve is a CLI command');
});

it('the HEALTHCHECK asks GET /health with node, since slim images have no curl', () => {
  const healthchecks = only(runtime, 'HEALTHCHECK');
  assert.is(healthchecks.length, 1);
  const check = healthchecks[0] as Instruction;
  assert.match(check.args, /^CMD \[/);
  const argv = execForm(check.args.replace(/^CMD\s+/, '')) as string[];
  assert.equal(argv.slice(0, 2), ['node', '-e']);
  assert.match(argv[2] as string, /fetch\(.*\/health/);
  assert.not.match(check.args, /\b(curl|wget)\b/);
  assert.ok(check.flags['start-period'], 'a start period covers migrations at start');
});

it('every COPY source exists in the repository and is inside the build context; the context leaves out node_modules and local data', () => {
  const ignored = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const needed of ['node_modules', '**/node_modules', '.data', '**/dist'])
    assert.ok(ignored.includes(needed), `.dockerignore lists ${needed}`);
  const copies = stages.flatMap((s) => only(s, 'COPY')).filter((c) => !c.flags.from);
  assert.ok(copies.length > 0);
  for (const copy of copies) {
    const words = execForm(copy.args) ?? copy.args.split(/\s+/);
    for (const source of words.slice(0, -1)) {
      if (source === '.') continue;
      assert.ok(existsSync(join(root, source)), `COPY source ${source} exists`);
      const top = source.replace(/^\.\//, '').split('/')[0] as string;
      assert.not.ok(ignored.includes(top), `COPY source ${source} is not excluded by .dockerignore`);
    }
  }
});

it('render.yaml: the web service runs calicritters serve from the Dockerfile and is health-checked on /health', () => {
  assert.is(web.length, 1);
  const service = web[0] as RenderService;
  assert.is(service.runtime, 'docker');
  assert.ok(existsSync(join(root, service.dockerfilePath as string)), 'dockerfilePath exists');
  assert.is(service.dockerCommand, 'calicritters serve');
  assert.is(service.healthCheckPath, '/health');
  const preDeploy = splitCommand(service.preDeployCommand ?? '');
  assert.is(preDeploy.program, 'calicritters');
  assert.equal(preDeploy.commands, ['migrate']);
});

it('render.yaml: every variable is one the CLI reads; the database URL comes from the blueprint database, tokens are generated', () => {
  assert.ok(variablesRead.has('DATABASE_URL') && variablesRead.has('RATE_LIMIT_EVENTS_PER_USER'), 'names were found');
  const databases = new Set(blueprint.databases.map((d) => d.name));
  for (const service of blueprint.services) {
    const vars = service.envVars ?? [];
    for (const v of vars) {
      assert.ok(variablesRead.has(v.key), `${service.name}: ${v.key} is read by the CLI`);
      if (v.value !== undefined) assert.type(v.value, 'string', `${service.name}: ${v.key} is quoted`);
    }
    const url = vars.find((v) => v.key === 'DATABASE_URL');
    assert.ok(url?.fromDatabase, `${service.name}: DATABASE_URL from a database`);
    assert.ok(databases.has(url.fromDatabase.name), `${service.name}: ${url.fromDatabase.name} is declared`);
    assert.is(url.fromDatabase.property, 'connectionString');
  }
  const webVars = (web[0] as RenderService).envVars ?? [];
  for (const token of ['ADMIN_TOKEN', 'DASHBOARD_TOKEN', 'METRICS_TOKEN'])
    assert.is(webVars.find((v) => v.key === token)?.generateValue, true, `${token} is generated`);
});

it('render.yaml: the cron job runs a real rollup command, and the web scheduler is off while it does', () => {
  const webVars = (web[0] as RenderService).envVars ?? [];
  const scheduler = webVars.find((v) => v.key === 'ROLLUP_INTERVAL')?.value;
  const rollupCrons = crons.filter((c) => splitCommand(c.dockerCommand ?? '').commands[0] === 'rollup');
  // One place computes the rollups: the cron job with ROLLUP_INTERVAL=0, or serve's scheduler without a cron job.
  assert.is(rollupCrons.length, scheduler === '0' ? 1 : 0);
  for (const cron of crons) {
    assert.match(cron.schedule ?? '', /^(\S+\s+){4}\S+$/, 'a five-field cron schedule');
    assert.is(cron.runtime, 'docker');
    const command = splitCommand(cron.dockerCommand ?? '');
    assert.is(command.program, 'calicritters');
    assert.ok(isCliCommand(command.commands), `${command.commands.join(' ')} is a CLI command`);
  }
});

it.run();

// ---- the commands, run for real ----

const onPostgres = process.env.TEST_DB !== 'pglite';
const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Target {
  /** The database part of the environment: DATABASE_URL, or DATA_DIR for the embedded database. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

const live = suite<{ target: Target }>('deploy recipe: its commands on a fresh database');

live.before(async (ctx) => {
  if (onPostgres) {
    const name = `abc_deploy_${randomBytes(4).toString('hex')}`;
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    ctx.target = {
      env: { DATABASE_URL: url.toString() },
      async cleanup() {
        const admin = await createStorage({ databaseUrl: adminUrl });
        try {
          await testSql(admin, `drop database if exists ${name} with (force)`);
        } finally {
          await admin.close();
        }
      },
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'abc-deploy-'));
    ctx.target = {
      env: { DATA_DIR: join(dir, 'pglite') },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
});
live.after(async (ctx) => ctx.target.cleanup());

/** The environment of a render.yaml service on this target: fixed values kept, generated ones made up. */
function serviceEnv(service: RenderService, target: Target): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  for (const v of service.envVars ?? []) {
    if (v.value !== undefined) env[v.key] = v.value;
    else if (v.generateValue) env[v.key] = randomBytes(18).toString('base64url').replace(/^-/, 't');
  }
  // fromDatabase: this test's database (on the embedded one, no DATABASE_URL at all).
  delete env.DATABASE_URL;
  return { ...env, ...target.env };
}

/** Runs `calicritters <args>` as the image runs it. */
function cli(line: string, env: Record<string, string>) {
  const { program, commands, flags } = splitCommand(line);
  assert.is(program, 'calicritters');
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [...cliNodeArgs, ...commands, ...flags], { env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

live('the pre-deploy migrate and the cron job rollup succeed on a fresh database', async ({ target }) => {
  const service = web[0] as RenderService;
  const migrated = await cli(service.preDeployCommand as string, serviceEnv(service, target));
  assert.is(migrated.code, 0, migrated.stderr);
  assert.match(migrated.stdout, 'Applied: ');
  for (const cron of crons) {
    const ran = await cli(cron.dockerCommand as string, serviceEnv(cron, target));
    assert.is(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /Rolled up \d+ job/);
  }
});

live(
  'serve with render.yaml environment answers the image HEALTHCHECK, and SIGTERM ends it with 0',
  async ({ target }) => {
    const healthcheck = execForm(
      (only(runtime, 'HEALTHCHECK')[0] as Instruction).args.replace(/^CMD\s+/, ''),
    ) as string[];
    const probe = (port: string) =>
      new Promise<number>((resolve) => {
        execFile(process.execPath, healthcheck.slice(1), { env: { PORT: port }, timeout: 10_000 }, (error) =>
          resolve(error ? Number(error.code ?? 1) : 0),
        );
      });

    const service = web[0] as RenderService;
    // Port 0 and loopback for the test; the image listens on its PORT on every interface.
    const env = { ...serviceEnv(service, target), PORT: '0', HOST: '127.0.0.1' };
    const [command, ...args] = execForm((lastOf(runtime, 'CMD') as Instruction).args) as string[];
    assert.is(command, 'calicritters');
    const child = spawn(process.execPath, [...cliNodeArgs, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('serve did not start in 120 s')), 120_000);
        createInterface({ input: child.stdout }).on('line', (line) => {
          const entry = JSON.parse(line) as Record<string, unknown>;
          if (typeof entry.url === 'string') {
            clearTimeout(timer);
            resolve(entry.url);
          }
        });
        child.once('exit', (code) => reject(new Error(`serve exited early with ${code}: ${stderr}`)));
      });
      const port = new URL(url).port;
      assert.is(await probe(port), 0, 'healthy while serving');

      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.is(await exited, 0, stderr);
      assert.is(await probe(port), 1, 'unhealthy once stopped');
    } finally {
      child.kill('SIGKILL');
    }
  },
);

live.run();
