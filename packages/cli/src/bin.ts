#!/usr/bin/env node
/** The `calicritters` command: yargs wiring only; each command is a plain function in ./commands. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { pino } from 'pino';
import { createMetricAdmin, createRuleAdmin, createSavedGroupAdmin, readHoldoutResults } from '@ab-calicritters/server';
import {
  ANALYSIS_METHODS,
  ANALYSIS_PRIORS,
  DEFAULT_WINDOW_DAYS,
  LOAD_TEST_SCENARIOS,
  MAX_WINDOW_DAYS,
  MIN_WINDOW_DAYS,
  type ExperimentStatus,
} from '@ab-calicritters/core';
import { createAdminApiClient } from './admin-api-client.js';
import { rejectNotANumber, tidyUnknownArguments } from './argv-checks.js';
import { CliError, knownFailure } from './cli-error.js';
import { readAdminApiConfig, readDatabaseConfig, readRollupStatementTimeout, readServerConfig } from './config.js';
import { withStorage } from './open-storage.js';
import {
  archiveExperiment,
  createExperiment,
  formatExperiments,
  listExperiments,
  releaseExperiment,
  storageExperiments,
  updateExperiment,
  type ExperimentsTarget,
} from './commands/experiments.js';
import { formatExperimentRules, showExperiment } from './commands/experiments-show.js';
import {
  formatHoldoutResults,
  holdoutResultsFromServer,
  showHoldoutResults,
  type HoldoutAnalysisOptions,
  type HoldoutResultsSource,
} from './commands/holdout-results.js';
import {
  archiveHoldout,
  createHoldout,
  formatHoldouts,
  listHoldouts,
  updateHoldout,
  type HoldoutsTarget,
} from './commands/holdouts.js';
import { migrate } from './commands/migrate.js';
import {
  createSavedGroup,
  deleteSavedGroup,
  formatSavedGroups,
  listSavedGroups,
  updateSavedGroup,
  type SavedGroupsTarget,
} from './commands/saved-groups.js';
import {
  archiveMetric,
  createMetric,
  describeMetric,
  formatMetrics,
  listMetrics,
  showMetric,
  updateMetric,
  type MetricsTarget,
} from './commands/metrics.js';
import {
  formatOverrides,
  listOverrides,
  removeOverride,
  setOverride,
  type OverridesTarget,
} from './commands/overrides.js';
import { seed } from './commands/seed.js';
import { seedDemoEvents } from './demo-events.js';
import { serve } from './commands/serve.js';
import { formatGates, loadtestAssert } from './loadtest/loadtest-assert.js';
import { formatCleanup, loadtestCleanup } from './loadtest/loadtest-cleanup.js';
import { loadtestCompare } from './loadtest/loadtest-compare.js';
import { loadtestRun, requirePostgresConfig } from './loadtest/loadtest-run.js';
import { defaultTarget, lastValue } from './loadtest/run-options.js';
import { formatComparison, formatRun } from './loadtest/format-report.js';
import { formatRollupSummary, rollup, type RollupJobChoice } from './commands/rollup.js';
import { checkIdempotency, formatIdempotencyReport } from './commands/check-idempotency.js';
import { auditLog, formatAudit } from './commands/audit.js';
import { onInterrupt } from './interrupt.js';
import { createProgress } from './progress.js';
import { CLI_VERSION } from './cli-version.js';

const STATUSES = ['draft', 'running', 'stopped', 'released'] as const;

function print(json: boolean, value: unknown, text: string): void {
  console.log(json ? JSON.stringify(value, null, 2) : text);
}

const experimentOptions = {
  name: { type: 'string', describe: 'Human-readable name' },
  seed: { type: 'string', describe: 'Hash seed (default: the key)' },
  coverage: { type: 'number', describe: 'Share of users in the experiment, 0..1' },
  variants: { type: 'string', describe: 'key:weight pairs, e.g. control:0.5,treatment:0.5' },
  status: { choices: STATUSES, describe: 'draft | running | stopped | released (with --released-variant)' },
  'released-variant': { type: 'string', describe: 'With --status released: the variant everyone gets' },
  condition: {
    type: 'string',
    describe:
      'Targeting condition as JSON (GrowthBook syntax), e.g. \'{"country":{"$in":["CA"]}}\'; null targets everyone',
  },
  'hash-attribute': { type: 'string', describe: 'Attribute users are bucketed by (default id: the user_id)' },
  'fallback-attribute': {
    type: 'string',
    describe: 'Attribute used when the hash attribute is missing; none clears it',
  },
  namespace: {
    type: 'string',
    describe: 'name:start:end, the namespace range it claims (e.g. checkout:0:0.5); none clears it',
  },
  'analysis-method': {
    choices: ANALYSIS_METHODS,
    describe: 'How the results test: sequential (always valid, the default) or fixed (one planned look)',
  },
  alpha: { type: 'number', describe: 'With --analysis-method: two-sided significance level (default 0.05)' },
  'sequential-tuning': {
    type: 'number',
    describe: 'With --analysis-method sequential: total users where the interval is tightest (default 5000)',
  },
  prior: {
    choices: ANALYSIS_PRIORS,
    describe: "With --analysis-method: the catalog metrics' Bayesian prior, flat (default) or proper (N(0, 0.3²))",
  },
  metrics: {
    type: 'string',
    describe:
      "Catalog metrics as key:role pairs, e.g. checkout_rate:goal,refunds:guardrail (role goal when left out; '' for none)",
  },
} as const;

/** Options only `update` has: payloads need the variants, which the server already holds. */
const updateOptions = {
  'variant-value': {
    type: 'string',
    array: true,
    describe: 'key=<json>: the payload of one variant (repeatable), e.g. treatment=\'{"price":2.99}\'',
  },
} as const;

/** The rule fields of the experiment options, as the commands take them. */
function ruleFields(argv: {
  condition?: string;
  'hash-attribute'?: string;
  'fallback-attribute'?: string;
  namespace?: string;
  'analysis-method'?: string;
  alpha?: number;
  'sequential-tuning'?: number;
  prior?: string;
  metrics?: string;
}) {
  return {
    condition: argv.condition,
    hashAttribute: argv['hash-attribute'],
    fallbackAttribute: argv['fallback-attribute'],
    namespace: argv.namespace,
    analysisMethod: argv['analysis-method'],
    alpha: argv.alpha,
    sequentialTuning: argv['sequential-tuning'],
    prior: argv.prior,
    metrics: argv.metrics,
  };
}

const adminApiOptions = {
  url: {
    type: 'string',
    describe:
      "A running server's base URL: go through its admin API instead of opening the database (default: CALICRITTERS_URL)",
  },
  'admin-token': {
    type: 'string',
    describe: 'Admin token for --url (default: ADMIN_TOKEN, which keeps it out of the process list)',
  },
  actor: {
    type: 'string',
    describe: "Who makes the changes, for the server's audit log (default: ADMIN_ACTOR, else 'unknown')",
  },
} as const;

/** A running server's admin API client, or undefined without --url / CALICRITTERS_URL. */
function adminApi(argv: { url?: string; 'admin-token'?: string; actor?: string }) {
  const api = readAdminApiConfig({ url: argv.url, adminToken: argv['admin-token'] });
  const actor = argv.actor?.trim() || process.env.ADMIN_ACTOR?.trim() || undefined;
  return api && createAdminApiClient({ ...api, actor });
}

/** Experiments through a running server's admin API (--url or CALICRITTERS_URL), else in the database directly. */
async function withExperiments<T>(
  argv: { url?: string; 'admin-token'?: string; actor?: string },
  run: (target: ExperimentsTarget) => Promise<T>,
): Promise<T> {
  const api = adminApi(argv);
  return api ? run(api) : withStorage(readDatabaseConfig(), (s) => run(storageExperiments(s)));
}

/** Experiments with their overrides and holdouts, through a running server's admin API or in the database. */
async function withExperimentRules<T>(
  argv: { url?: string; 'admin-token'?: string; actor?: string },
  run: (target: ExperimentsTarget & OverridesTarget & HoldoutsTarget) => Promise<T>,
): Promise<T> {
  const api = adminApi(argv);
  return api
    ? run(api)
    : withStorage(readDatabaseConfig(), (s) =>
        run({ experiments: s.experiments, savedGroups: createSavedGroupAdmin(s), ...createRuleAdmin(s) }),
      );
}

/** Saved groups through a running server's admin API (--url), else in the database with the same checks. */
async function withSavedGroups<T>(
  argv: { url?: string; 'admin-token'?: string; actor?: string },
  run: (target: SavedGroupsTarget) => Promise<T>,
): Promise<T> {
  const api = adminApi(argv);
  return api ? run(api) : withStorage(readDatabaseConfig(), (s) => run({ savedGroups: createSavedGroupAdmin(s) }));
}

/** The metric catalog through a running server's admin API (--url), else in the database with the same checks. */
async function withMetrics<T>(
  argv: { url?: string; 'admin-token'?: string; actor?: string },
  run: (target: MetricsTarget) => Promise<T>,
): Promise<T> {
  const api = adminApi(argv);
  return api ? run(api) : withStorage(readDatabaseConfig(), (s) => run({ metrics: createMetricAdmin(s) }));
}

const metricOptions = {
  name: { type: 'string', describe: 'Human-readable name' },
  description: { type: 'string', describe: 'What the metric means' },
  kind: { choices: ['conversion', 'count', 'sum', 'ratio'], describe: 'How a user is summarised' },
  event: { type: 'string', describe: 'The event counted (not for ratio)' },
  filter: { type: 'string', describe: 'Only events whose property equals a value: property=value (none clears)' },
  property: { type: 'string', describe: 'sum: the numeric property summed (default value)' },
  numerator: { type: 'string', describe: 'ratio: the key of a count or sum metric' },
  denominator: { type: 'string', describe: 'ratio: the key of a count or sum metric' },
  'window-hours': { type: 'string', describe: 'Hours after first exposure that count (none: the whole window)' },
  cap: { type: 'string', describe: 'Cap per user: absolute:N or percentile:0.99 (none clears)' },
  direction: { choices: ['higher', 'lower'], describe: 'Which way is better (default higher)' },
  'cuped-lookback-days': { type: 'number', describe: 'Days before first exposure CUPED reads (0: off; default 14)' },
} as const;

const savedGroupOptions = {
  name: { type: 'string', describe: 'Human-readable name' },
  values: { type: 'string', describe: 'Values, separated by commas (replace the whole list on update)' },
  file: { type: 'string', describe: 'A file of values, one a line' },
  numeric: { type: 'boolean', describe: 'The values are numbers, not strings' },
} as const;

/** Overrides and holdouts through a running server's admin API (--url), else in the database with the same checks. */
async function withRules<T>(
  argv: { url?: string; 'admin-token'?: string },
  run: (target: OverridesTarget & HoldoutsTarget) => Promise<T>,
): Promise<T> {
  const api = adminApi(argv);
  return api ? run(api) : withStorage(readDatabaseConfig(), (s) => run(createRuleAdmin(s)));
}

/**
 * A holdout's results through a running server's results endpoint (--url or CALICRITTERS_URL, with the dashboard
 * token), else from the database's rollup tables.
 */
async function holdoutResultsFor(
  argv: { url?: string; 'dashboard-token'?: string },
  key: string,
  windowDays: number,
  options: HoldoutAnalysisOptions,
) {
  const url = argv.url?.trim() || process.env.CALICRITTERS_URL?.trim();
  if (!url) {
    return withStorage(readDatabaseConfig(), (s) => {
      const source: HoldoutResultsSource = {
        holdoutResults: (k, days, { method, targetEffect }) =>
          readHoldoutResults(s, k, days, method, { target_effect: targetEffect ?? null }),
      };
      return showHoldoutResults(source, key, windowDays, options);
    });
  }
  const token = argv['dashboard-token']?.trim() || process.env.DASHBOARD_TOKEN?.trim();
  if (!token) throw new CliError('results through a server need its dashboard token: set DASHBOARD_TOKEN', 2);
  // The same URL checks as the admin API's.
  const api = readAdminApiConfig({ url: argv.url, adminToken: token });
  return showHoldoutResults(holdoutResultsFromServer({ url: api?.url ?? url, token }), key, windowDays, options);
}

const holdoutOptions = {
  name: { type: 'string', describe: 'Human-readable name' },
  share: { type: 'number', describe: 'Share of users held out, strictly between 0 and 1 (0.05: 5 %)' },
  experiments: { type: 'string', describe: 'Experiment keys it covers, separated by commas' },
  all: { type: 'boolean', describe: 'Cover every experiment, present and future' },
} as const;

const rawArgs = hideBin(process.argv);

/** Prints a failure and exits: an expected one (a bad flag, a missing database, …) as one line, anything else whole. */
function exitWith(error: unknown): never {
  const known = knownFailure(error);
  if (known) {
    console.error(`error: ${known.message}`);
    process.exit(known.exitCode);
  }
  console.error(error);
  process.exit(1);
}

await yargs(rawArgs)
  // Async, so a refusal travels the promise parseAsync returns like any command failure.
  .middleware(async (argv) => rejectNotANumber(argv, rawArgs))
  .scriptName('calicritters')
  .version(CLI_VERSION)
  .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output' })
  .command('migrate', 'Apply pending database migrations', {}, async (argv) => {
    const result = await migrate(readDatabaseConfig());
    print(
      Boolean(argv.json),
      result,
      result.applied.length ? `Applied: ${result.applied.join(', ')}` : `Up to date (${result.database}).`,
    );
  })
  .command(
    'seed',
    'Create the demo experiments and funnel (existing ones are kept)',
    (y) =>
      y.option('demo-events', {
        type: 'boolean',
        default: false,
        describe: 'Also generate demo traffic into an empty event log and roll it up',
      }),
    async (argv) => {
      const result = await withStorage(readDatabaseConfig(), async (storage) => {
        const definitions = await seed(storage);
        const demo = argv['demo-events'] ? await seedDemoEvents(storage) : undefined;
        if (demo?.generated) await rollup(storage, { job: 'all', windowDays: 14 });
        return { ...definitions, demo_events: demo?.events ?? 0 };
      });
      const demoText = argv['demo-events']
        ? `; demo events: ${result.demo_events || 'kept the existing event log'}`
        : '';
      print(
        Boolean(argv.json),
        result,
        `Created: ${result.created.join(', ') || 'nothing'}; already there: ${result.skipped.join(', ') || 'nothing'}${demoText}`,
      );
    },
  )
  .command(
    'serve',
    'Run the standalone server (migrates on start)',
    (y) => y.option('seed', { type: 'boolean', default: false, describe: 'Also create the demo data' }),
    async (argv) => {
      // Pretty lines for a person at a terminal, JSON lines for log collectors.
      const pretty = process.stdout.isTTY
        ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } }
        : {};
      const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', ...pretty });
      const config = readServerConfig();
      const server = await serve(config, { seed: argv.seed, logger });
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
          // Whoever sends a second signal does not want to wait for the deadline. 128 + signal number, as for rollup.
          logger.warn({ signal }, 'second signal: exiting now');
          process.exit(signal === 'SIGINT' ? 130 : 143);
        }
        stopping = true;
        const deadline = config.shutdownTimeoutMs;
        logger.info(
          { signal, shutdown_timeout_ms: deadline },
          `shutting down: busy connections are closed in ${deadline} ms; a second signal exits now`,
        );
        server.close().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
  )
  .command(
    'rollup',
    'Bring rollup tables up to date over the last N days: only what changed since the last run, or --full (idempotent)',
    (y) =>
      y
        .option('job', { choices: ['daily', 'experiments', 'funnels', 'all'] as const, default: 'all' as const })
        .option('window-days', {
          type: 'number',
          default: 14,
          describe: `Days to recompute, ${MIN_WINDOW_DAYS}..${MAX_WINDOW_DAYS}`,
        })
        .option('wait', {
          type: 'boolean',
          default: true,
          describe: 'Wait for a running job of the same kind (--no-wait: fail)',
        })
        .option('statement-timeout', {
          type: 'number',
          describe:
            'Longest one statement of a run may take, ms (default ROLLUP_STATEMENT_TIMEOUT_MS or 30 minutes; 0: none)',
        })
        .option('include-load-test-users', {
          type: 'boolean',
          default: /^(1|true)$/i.test(process.env.ROLLUP_INCLUDE_LOAD_TEST_USERS ?? ''),
          describe: 'Also count load-test users (lt-…), left out by default (default: ROLLUP_INCLUDE_LOAD_TEST_USERS)',
        })
        .option('full', {
          type: 'boolean',
          default: false,
          describe: 'Recompute the whole window instead of what changed since the last run',
        }),
    async (argv) => {
      // SIGINT/SIGTERM cancel the running statement and roll back; a second signal exits at once.
      const interruption = onInterrupt();
      const progress = createProgress(!argv.json);
      const results = await withStorage(readDatabaseConfig(), (storage) =>
        rollup(storage, {
          job: argv.job as RollupJobChoice,
          windowDays: argv['window-days'],
          wait: argv.wait,
          statementTimeoutMs: argv['statement-timeout'] ?? readRollupStatementTimeout(),
          signal: interruption.signal,
          onJobStart: (job, index, total) => progress.step(job, index, total),
          includeLoadTestUsers: argv['include-load-test-users'],
          full: argv.full,
        }),
      ).finally(() => {
        progress.stop();
        interruption.dispose();
      });
      print(Boolean(argv.json), results, formatRollupSummary(results));
    },
  )
  .command('check', 'Consistency checks', (y) =>
    y
      .command(
        'idempotency',
        'Run each rollup job twice over one window and diff the rows (exit 1 on any difference)',
        (c) => c.option('window-days', { type: 'number', default: 14 }),
        async (argv) => {
          const interruption = onInterrupt();
          const report = await withStorage(readDatabaseConfig(), (storage) =>
            checkIdempotency(storage, {
              windowDays: argv['window-days'],
              statementTimeoutMs: readRollupStatementTimeout(),
              signal: interruption.signal,
            }),
          ).finally(() => interruption.dispose());
          print(Boolean(argv.json), report, formatIdempotencyReport(report));
          if (!report.ok) process.exitCode = 1;
        },
      )
      .demandCommand(1, 'Choose a check: idempotency'),
  )
  .command(
    'experiments',
    'List, show, create, update, release and archive experiments (in the database, or through a server with --url)',
    (y) =>
      y
        .options(adminApiOptions)
        .command(
          'list',
          'List experiments (archived ones only with --include-archived)',
          (c) =>
            c.option('include-archived', {
              type: 'boolean',
              default: false,
              describe: 'List archived experiments too',
            }),
          async (argv) => {
            const includeArchived = argv['include-archived'];
            const records = await withExperiments(argv, (target) => listExperiments(target, { includeArchived }));
            print(Boolean(argv.json), records, formatExperiments(records));
          },
        )
        .command(
          'create <key>',
          'Create an experiment',
          (c) =>
            c
              .positional('key', { type: 'string', demandOption: true })
              .options(experimentOptions)
              .demandOption('variants'),
          async (argv) => {
            const { key, name, seed: hashSeed, coverage, variants, status } = argv;
            const record = await withExperiments(argv, (target) =>
              createExperiment(target, {
                key,
                name,
                seed: hashSeed,
                coverage,
                variants,
                status: status as ExperimentStatus | undefined,
                releasedVariant: argv['released-variant'],
                ...ruleFields(argv),
              }),
            );
            print(Boolean(argv.json), record, `Created ${record.key} (${record.status}).`);
          },
        )
        .command(
          'update <key>',
          'Update an experiment (sticky users keep their variant)',
          (c) =>
            c
              .positional('key', { type: 'string', demandOption: true })
              .options(experimentOptions)
              .options(updateOptions),
          async (argv) => {
            const { key, name, seed: hashSeed, coverage, variants, status } = argv;
            const record = await withExperiments(argv, (target) =>
              updateExperiment(target, key, {
                name,
                seed: hashSeed,
                coverage,
                variants,
                status: status as ExperimentStatus | undefined,
                releasedVariant: argv['released-variant'],
                ...ruleFields(argv),
                variantValues: argv['variant-value']?.map(String),
              }),
            );
            print(Boolean(argv.json), record, `Updated ${record.key} (${record.status}).`);
          },
        )
        .command(
          'show <key>',
          "An experiment's rules: status, targeting in words, bucketing, namespace, holdouts, overrides, payloads",
          (c) => c.positional('key', { type: 'string', demandOption: true }),
          async (argv) => {
            const rules = await withExperimentRules(argv, (target) => showExperiment(target, argv.key));
            print(Boolean(argv.json), rules, formatExperimentRules(rules));
          },
        )
        .command(
          'release <key> <variant>',
          'Release a variant: everyone gets it (and its payload) from now on; results are frozen at this time',
          (c) =>
            c
              .positional('key', { type: 'string', demandOption: true })
              .positional('variant', { type: 'string', demandOption: true, describe: 'Variant key' }),
          async (argv) => {
            const record = await withExperiments(argv, (target) => releaseExperiment(target, argv.key, argv.variant));
            print(Boolean(argv.json), record, `Released ${record.key}: everyone gets ${record.released_variant}.`);
          },
        )
        .command(
          'archive <key>',
          'Archive an experiment: it assigns nobody and leaves the lists; assignments and events stay',
          (c) => c.positional('key', { type: 'string', demandOption: true }),
          async (argv) => {
            const record = await withExperiments(argv, (target) => archiveExperiment(target, argv.key));
            print(Boolean(argv.json), record, `Archived ${record.key}.`);
          },
        )
        .demandCommand(1, 'Choose list, show, create, update, release or archive'),
  )
  .command(
    'audit',
    "A running server's audit log of admin changes, newest first (through its admin API: --url or CALICRITTERS_URL)",
    (y) =>
      y.options(adminApiOptions).options({
        entity: { type: 'string', describe: 'Only this entity: kind:key (experiment:paywall_copy) or a kind alone' },
        limit: { type: 'number', default: 20, describe: 'Entries to show, 1..200' },
      }),
    async (argv) => {
      const api = adminApi(argv);
      if (!api) throw new CliError("audit reads a running server's log: pass --url or set CALICRITTERS_URL", 2);
      const entries = await auditLog(api, { entity: argv.entity, limit: argv.limit });
      print(Boolean(argv.json), entries, formatAudit(entries));
    },
  )
  .command(
    'overrides',
    'QA overrides: force a user into a variant (in the database, or through a server with --url)',
    (y) =>
      y
        .options(adminApiOptions)
        .command(
          'set <experiment> <user_id> <variant>',
          "Force a user into a variant of an experiment (replaces the user's override)",
          (c) =>
            c
              .positional('experiment', { type: 'string', demandOption: true, describe: 'Experiment key' })
              .positional('user_id', { type: 'string', demandOption: true })
              .positional('variant', { type: 'string', demandOption: true, describe: 'Variant key' })
              .options({
                'expires-at': { type: 'string', describe: 'When the override ends (ISO 8601 time)' },
                'expires-in': { type: 'string', describe: 'When the override ends, from now: 30m, 12h, 7d' },
                note: { type: 'string', describe: 'Why, or which device' },
              }),
          async (argv) => {
            const { override, created } = await withRules(argv, (target) =>
              setOverride(target, argv.experiment, String(argv.user_id), {
                variant: argv.variant,
                expiresAt: argv['expires-at'],
                expiresIn: argv['expires-in'],
                note: argv.note,
              }),
            );
            const until = override.expires_at ? ` until ${override.expires_at}` : '';
            print(
              Boolean(argv.json),
              override,
              `${created ? 'Set' : 'Replaced'}: ${override.user_id} gets ${override.variant} in ${override.experiment_key}${until}.`,
            );
          },
        )
        .command(
          'list <experiment>',
          "An experiment's overrides (expired ones only with --include-expired)",
          (c) =>
            c
              .positional('experiment', { type: 'string', demandOption: true, describe: 'Experiment key' })
              .option('include-expired', { type: 'boolean', default: false, describe: 'List expired overrides too' }),
          async (argv) => {
            const includeExpired = argv['include-expired'];
            const records = await withRules(argv, (target) =>
              listOverrides(target, argv.experiment, { includeExpired }),
            );
            print(Boolean(argv.json), records, formatOverrides(records));
          },
        )
        .command(
          'remove <experiment> <user_id>',
          "Remove a user's override: they are bucketed like everyone else again",
          (c) =>
            c
              .positional('experiment', { type: 'string', demandOption: true, describe: 'Experiment key' })
              .positional('user_id', { type: 'string', demandOption: true }),
          async (argv) => {
            const record = await withRules(argv, (target) =>
              removeOverride(target, argv.experiment, String(argv.user_id)),
            );
            print(Boolean(argv.json), record, `Removed the override of ${record.user_id} in ${record.experiment_key}.`);
          },
        )
        .demandCommand(1, 'Choose set, list or remove'),
  )
  .command(
    'holdouts',
    'Holdouts: a stable share of users kept out of experiments (in the database, or through a server with --url)',
    (y) =>
      y
        .options(adminApiOptions)
        .command(
          'list',
          'List holdouts (archived ones only with --include-archived)',
          (c) =>
            c.option('include-archived', { type: 'boolean', default: false, describe: 'List archived holdouts too' }),
          async (argv) => {
            const includeArchived = argv['include-archived'];
            const records = await withRules(argv, (target) => listHoldouts(target, { includeArchived }));
            print(Boolean(argv.json), records, formatHoldouts(records));
          },
        )
        .command(
          'create <key>',
          'Create a holdout over --experiments or --all',
          (c) =>
            c
              .positional('key', { type: 'string', demandOption: true })
              .options(holdoutOptions)
              .option('seed', { type: 'string', describe: 'Hash seed (default: the key); it never changes' })
              .demandOption('share'),
          async (argv) => {
            const { key, name, seed: hashSeed, share, experiments, all } = argv;
            const record = await withRules(argv, (target) =>
              createHoldout(target, key, { name, seed: hashSeed, share, experiments, all }),
            );
            print(Boolean(argv.json), record, `Created ${record.key} (${record.share} held out).`);
          },
        )
        .command(
          'update <key>',
          "Change a holdout's share, experiments or name",
          (c) => c.positional('key', { type: 'string', demandOption: true }).options(holdoutOptions),
          async (argv) => {
            const { key, name, share, experiments, all } = argv;
            const record = await withRules(argv, (target) =>
              updateHoldout(target, key, { name, share, experiments, all }),
            );
            print(Boolean(argv.json), record, `Updated ${record.key} (${record.share} held out).`);
          },
        )
        .command(
          'archive <key>',
          'Archive a holdout: it holds out nobody from then on; it stays for the record',
          (c) => c.positional('key', { type: 'string', demandOption: true }),
          async (argv) => {
            const record = await withRules(argv, (target) => archiveHoldout(target, argv.key));
            print(Boolean(argv.json), record, `Archived ${record.key}.`);
          },
        )
        .command(
          'results <key>',
          'Held-out users against exposed users, per metric, from the last experiments rollup',
          (c) =>
            c
              .positional('key', { type: 'string', demandOption: true })
              .option('window-days', {
                type: 'number',
                default: DEFAULT_WINDOW_DAYS,
                describe: `Days of the window, ${MIN_WINDOW_DAYS}..${MAX_WINDOW_DAYS}`,
              })
              .option('method', {
                choices: ANALYSIS_METHODS,
                describe: 'How to test: sequential (default; valid however often you look) or fixed (one planned look)',
              })
              .option('target-effect', {
                type: 'number',
                describe:
                  "Relative effect the power plans for (0.05: +5 %; default: each comparison's observed effect)",
              })
              .option('dashboard-token', {
                type: 'string',
                describe:
                  'Dashboard token for --url (default: DASHBOARD_TOKEN, which keeps it out of the process list)',
              }),
          async (argv) => {
            const results = await holdoutResultsFor(argv, argv.key, argv['window-days'], {
              method: argv.method,
              targetEffect: argv['target-effect'],
            });
            print(Boolean(argv.json), results, formatHoldoutResults(results));
          },
        )
        .demandCommand(1, 'Choose list, create, update, archive or results'),
  )
  .command(
    'saved-groups',
    'Saved groups: lists of values $inGroup / $notInGroup conditions name (in the database, or through a server with --url)',
    (y) =>
      y
        .options(adminApiOptions)
        .command(
          'list',
          'List saved groups, by key',
          (c) => c,
          async (argv) => {
            const records = await withSavedGroups(argv, (target) => listSavedGroups(target));
            print(Boolean(argv.json), records, formatSavedGroups(records));
          },
        )
        .command(
          'create <key>',
          'Create a saved group from --values and/or --file',
          (c) => c.positional('key', { type: 'string', demandOption: true }).options(savedGroupOptions),
          async (argv) => {
            const { key, name, values, file, numeric } = argv;
            const record = await withSavedGroups(argv, (target) =>
              createSavedGroup(target, key, { name, values, file, numeric }),
            );
            print(Boolean(argv.json), record, `Created ${record.key} (${record.values.length} values).`);
          },
        )
        .command(
          'update <key>',
          'Rename a saved group or replace its values',
          (c) => c.positional('key', { type: 'string', demandOption: true }).options(savedGroupOptions),
          async (argv) => {
            const { key, name, values, file, numeric } = argv;
            const record = await withSavedGroups(argv, (target) =>
              updateSavedGroup(target, key, { name, values, file, numeric }),
            );
            print(Boolean(argv.json), record, `Updated ${record.key} (${record.values.length} values).`);
          },
        )
        .command(
          'delete <key>',
          'Delete a saved group (refused while an experiment that is not archived names it)',
          (c) => c.positional('key', { type: 'string', demandOption: true }),
          async (argv) => {
            const record = await withSavedGroups(argv, (target) => deleteSavedGroup(target, argv.key));
            print(Boolean(argv.json), record, `Deleted ${record.key}.`);
          },
        )
        .demandCommand(1, 'Choose list, create, update or delete'),
  )
  .command(
    'metrics',
    'The metric catalog experiments are analysed on (in the database, or through a server with --url)',
    (y) =>
      y
        .options(adminApiOptions)
        .command(
          'list',
          'List catalog metrics, by key',
          (c) => c.options({ 'include-archived': { type: 'boolean', describe: 'Also list archived metrics' } }),
          async (argv) => {
            const records = await withMetrics(argv, (target) => listMetrics(target, Boolean(argv['include-archived'])));
            print(Boolean(argv.json), records, formatMetrics(records));
          },
        )
        .command(
          'show <key>',
          'One catalog metric',
          (c) => c.positional('key', { type: 'string', demandOption: true }),
          async (argv) => {
            const record = await withMetrics(argv, (target) => showMetric(target, argv.key));
            print(Boolean(argv.json), record, `${record.key} (${record.status}): ${describeMetric(record)}`);
          },
        )
        .command(
          'create <key>',
          'Create a catalog metric',
          (c) => c.positional('key', { type: 'string', demandOption: true }).options(metricOptions),
          async (argv) => {
            const record = await withMetrics(argv, (target) => createMetric(target, argv.key, argv));
            print(Boolean(argv.json), record, `Created ${record.key}: ${describeMetric(record)}.`);
          },
        )
        .command(
          'update <key>',
          'Change the fields given; the others keep their values',
          (c) => c.positional('key', { type: 'string', demandOption: true }).options(metricOptions),
          async (argv) => {
            const record = await withMetrics(argv, (target) => updateMetric(target, argv.key, argv));
            print(Boolean(argv.json), record, `Updated ${record.key}: ${describeMetric(record)}.`);
          },
        )
        .command(
          'archive <key>',
          'Archive a metric: experiments keep naming it, new references are refused',
          (c) => c.positional('key', { type: 'string', demandOption: true }),
          async (argv) => {
            const record = await withMetrics(argv, (target) => archiveMetric(target, argv.key));
            print(Boolean(argv.json), record, `Archived ${record.key}.`);
          },
        )
        .demandCommand(1, 'Choose list, show, create, update or archive'),
  )
  .command(
    'loadtest',
    'Load-test a server on this machine, store the results, gate on them (needs DATABASE_URL)',
    (y) =>
      y
        .command(
          'run',
          'Drive a scenario against --target, then store endpoint metrics and data checks',
          (c) =>
            c.options({
              scenario: { choices: LOAD_TEST_SCENARIOS, demandOption: true, describe: 'What to drive' },
              phase: {
                choices: ['baseline', 'post_mitigation'] as const,
                demandOption: true,
                describe: 'Before or after a change',
              },
              // A repeated single-valued option takes its last value, so flags given after a pnpm script's own win.
              target: {
                type: 'string',
                default: defaultTarget(),
                defaultDescription: 'CALICRITTERS_URL, else http://localhost:3000',
                coerce: lastValue<string>,
                describe: 'Server base URL (loopback only)',
              },
              'run-name': {
                type: 'string',
                demandOption: true,
                coerce: lastValue<string>,
                describe: 'Name of the run (letters, digits, _ . : -)',
              },
              tag: { type: 'string', array: true, default: [] as string[], describe: 'key=value, repeatable' },
              duration: {
                type: 'string',
                default: '30s',
                coerce: lastValue<string>,
                describe: 'e.g. 30s, 2m (at most 5m)',
              },
              connections: {
                type: 'number',
                default: 50,
                coerce: lastValue<number>,
                describe: 'Concurrent connections',
              },
              rate: { type: 'number', describe: 'Requests per second over all connections (default: unlimited)' },
              timeout: { type: 'number', default: 10, describe: 'Seconds before a request counts as timed out' },
              'artifacts-dir': {
                type: 'string',
                default: 'artifacts/load-tests',
                describe: 'Where the JSON and HTML reports go',
              },
            }),
          async (argv) => {
            const db = requirePostgresConfig(readDatabaseConfig());
            const controller = new AbortController();
            process.once('SIGINT', () => controller.abort());
            const result = await withStorage(db, (s) =>
              loadtestRun(s, {
                scenario: argv.scenario,
                phase: argv.phase,
                target: argv.target,
                runName: argv['run-name'],
                tags: argv.tag.map(String),
                duration: argv.duration,
                connections: argv.connections,
                rate: argv.rate,
                timeoutSeconds: argv.timeout,
                artifactsDir: argv['artifacts-dir'],
                progress: !argv.json && process.stderr.isTTY,
                signal: controller.signal,
                log: (line) => console.error(line),
                databaseUrl: db.databaseUrl,
              }),
            );
            print(
              Boolean(argv.json),
              result,
              `${formatRun(result.run)}\n\nReport: ${result.artifacts.html}\nData:   ${result.artifacts.json}`,
            );
            if (!result.checksPassed && !result.otherDatabase)
              console.error('warning: data checks failed; `calicritters loadtest assert` will fail this run');
          },
        )
        .command(
          'assert',
          'Exit 1 when a stored run breaches a gate or failed a data check',
          (c) =>
            c.options({
              'run-id': { type: 'string', describe: 'Run id or name' },
              scenario: { type: 'string', describe: 'With --phase: the newest run of that scenario and phase' },
              phase: { type: 'string', describe: 'baseline | post_mitigation' },
              'max-error-rate': { type: 'number', default: 0.01, describe: 'Highest error rate per endpoint (0..1)' },
              'max-p99-ms': { type: 'number', describe: 'Highest p99 latency per endpoint, ms' },
              'min-rps': { type: 'number', describe: 'Lowest requests per second per endpoint' },
            }),
          async (argv) => {
            const result = await withStorage(readDatabaseConfig(), (s) =>
              loadtestAssert(s, {
                runId: argv['run-id'],
                scenario: argv.scenario,
                phase: argv.phase,
                maxErrorRate: argv['max-error-rate'],
                maxP99Ms: argv['max-p99-ms'],
                minRps: argv['min-rps'],
              }),
            );
            print(
              Boolean(argv.json),
              result,
              `Load run ${result.run.name} (${result.run.id}) passed every gate:\n${formatGates(result.gates)}`,
            );
          },
        )
        .command(
          'compare',
          'Per-endpoint and data-check deltas of --candidate against --baseline',
          (c) =>
            c.options({
              baseline: { type: 'string', demandOption: true, describe: 'Run id or name' },
              candidate: { type: 'string', demandOption: true, describe: 'Run id or name' },
            }),
          async (argv) => {
            const comparison = await withStorage(readDatabaseConfig(), (s) =>
              loadtestCompare(s, { baseline: argv.baseline, candidate: argv.candidate }),
            );
            print(Boolean(argv.json), comparison, formatComparison(comparison));
          },
        )
        .command(
          'cleanup',
          'Delete the assignments and events of load-test users (lt-…), and with --runs the recorded runs',
          (c) =>
            c.options({
              'dry-run': { type: 'boolean', default: false, describe: 'Only count what would be deleted' },
              runs: { type: 'boolean', default: false, describe: 'Also delete the recorded runs with their metrics' },
            }),
          async (argv) => {
            const options = { dryRun: argv['dry-run'], runs: argv.runs };
            const result = await withStorage(readDatabaseConfig(), (s) => loadtestCleanup(s, options));
            print(Boolean(argv.json), result, formatCleanup(result, options.dryRun, options.runs));
          },
        )
        .demandCommand(1, 'Choose run, assert, compare or cleanup'),
  )
  .demandCommand(1, 'Choose a command; see --help')
  .strict()
  .fail((message, error, y) => {
    // An error thrown by a command or a middleware: reported like every other failure (yargs calls this outside the
    // promise parseAsync returns, so rethrowing would crash with a stack).
    if (error) exitWith(error);
    console.error(`${y.help()}\n\n${tidyUnknownArguments(message)}`);
    process.exit(2);
  })
  .parseAsync()
  .catch(exitWith);
