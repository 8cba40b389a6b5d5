#!/usr/bin/env node
/** The `calicritters` command: yargs wiring only; each command is a plain function in ./commands. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { pino } from 'pino';
import type { ExperimentStatus } from '@ab-calicritters/core';
import { CliError } from './cli-error.js';
import { readDatabaseConfig, readServerConfig } from './config.js';
import { withStorage } from './open-storage.js';
import { createExperiment, formatExperiments, listExperiments, updateExperiment } from './commands/experiments.js';
import { migrate } from './commands/migrate.js';
import { seed } from './commands/seed.js';
import { seedDemoEvents } from './demo-events.js';
import { serve } from './commands/serve.js';
import { formatRollupSummary, rollup, type RollupJobChoice } from './commands/rollup.js';
import { checkIdempotency, formatIdempotencyReport } from './commands/check-idempotency.js';
import { createProgress } from './progress.js';

const STATUSES = ['draft', 'running', 'stopped'] as const;

function print(json: boolean, value: unknown, text: string): void {
  console.log(json ? JSON.stringify(value, null, 2) : text);
}

const experimentOptions = {
  name: { type: 'string', describe: 'Human-readable name' },
  seed: { type: 'string', describe: 'Hash seed (default: the key)' },
  coverage: { type: 'number', describe: 'Share of users in the experiment, 0..1' },
  variants: { type: 'string', describe: 'key:weight pairs, e.g. control:0.5,treatment:0.5' },
  status: { choices: STATUSES, describe: 'draft | running | stopped' },
} as const;

await yargs(hideBin(process.argv))
  .scriptName('calicritters')
  .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output' })
  .command('migrate', 'Apply pending database migrations', {}, async (argv) => {
    const result = await migrate(readDatabaseConfig());
    print(Boolean(argv.json), result, result.applied.length ? `Applied: ${result.applied.join(', ')}` : `Up to date (${result.database}).`);
  })
  .command(
    'seed',
    'Create the demo experiments and funnel (existing ones are kept)',
    (y) => y.option('demo-events', { type: 'boolean', default: false, describe: 'Also generate demo traffic into an empty event log and roll it up' }),
    async (argv) => {
      const result = await withStorage(readDatabaseConfig(), async (storage) => {
        const definitions = await seed(storage);
        const demo = argv['demo-events'] ? await seedDemoEvents(storage) : undefined;
        if (demo?.generated) await rollup(storage, { job: 'all', windowDays: 14 });
        return { ...definitions, demo_events: demo?.events ?? 0 };
      });
      const demoText = argv['demo-events'] ? `; demo events: ${result.demo_events || 'kept the existing event log'}` : '';
      print(Boolean(argv.json), result, `Created: ${result.created.join(', ') || 'nothing'}; already there: ${result.skipped.join(', ') || 'nothing'}${demoText}`);
    },
  )
  .command(
    'serve',
    'Run the standalone server (migrates on start)',
    (y) => y.option('seed', { type: 'boolean', default: false, describe: 'Also create the demo data' }),
    async (argv) => {
      // Pretty lines for a person at a terminal, JSON lines for log collectors.
      const pretty = process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } } : {};
      const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', ...pretty });
      const server = await serve(readServerConfig(), { seed: argv.seed, logger });
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        server.close().then(() => process.exit(0), (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        });
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    },
  )
  .command(
    'rollup',
    'Recompute rollup tables over the last N days (idempotent)',
    (y) =>
      y
        .option('job', { choices: ['daily', 'experiments', 'funnels', 'all'] as const, default: 'all' as const })
        .option('window-days', { type: 'number', default: 14, describe: 'Days to recompute, 1..365' })
        .option('wait', { type: 'boolean', default: true, describe: 'Wait for a running job of the same kind (--no-wait: fail)' }),
    async (argv) => {
      const progress = createProgress(!argv.json);
      const results = await withStorage(readDatabaseConfig(), (storage) =>
        rollup(storage, {
          job: argv.job as RollupJobChoice,
          windowDays: argv['window-days'],
          wait: argv.wait,
          onJobStart: (job, index, total) => progress.step(job, index, total),
        }),
      ).finally(() => progress.stop());
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
          const report = await withStorage(readDatabaseConfig(), (storage) => checkIdempotency(storage, { windowDays: argv['window-days'] }));
          print(Boolean(argv.json), report, formatIdempotencyReport(report));
          if (!report.ok) process.exitCode = 1;
        },
      )
      .demandCommand(1, 'Choose a check: idempotency'),
  )
  .command('experiments', 'List, create and update experiments', (y) =>
    y
      .command('list', 'List experiments', {}, async (argv) => {
        const records = await withStorage(readDatabaseConfig(), listExperiments);
        print(Boolean(argv.json), records, formatExperiments(records));
      })
      .command(
        'create <key>',
        'Create an experiment',
        (c) => c.positional('key', { type: 'string', demandOption: true }).options(experimentOptions).demandOption('variants'),
        async (argv) => {
          const { key, name, seed: hashSeed, coverage, variants, status } = argv;
          const record = await withStorage(readDatabaseConfig(), (s) =>
            createExperiment(s, { key, name, seed: hashSeed, coverage, variants, status: status as ExperimentStatus | undefined }),
          );
          print(Boolean(argv.json), record, `Created ${record.key} (${record.status}).`);
        },
      )
      .command(
        'update <key>',
        'Update an experiment (sticky users keep their variant)',
        (c) => c.positional('key', { type: 'string', demandOption: true }).options(experimentOptions),
        async (argv) => {
          const { key, name, seed: hashSeed, coverage, variants, status } = argv;
          const record = await withStorage(readDatabaseConfig(), (s) =>
            updateExperiment(s, key, { name, seed: hashSeed, coverage, variants, status: status as ExperimentStatus | undefined }),
          );
          print(Boolean(argv.json), record, `Updated ${record.key} (${record.status}).`);
        },
      )
      .demandCommand(1, 'Choose list, create or update'),
  )
  .demandCommand(1, 'Choose a command; see --help')
  .strict()
  .fail((message, error, y) => {
    if (error) throw error;
    console.error(`${y.help()}\n\n${message}`);
    process.exit(2);
  })
  .parseAsync()
  .catch((error: unknown) => {
    if (error instanceof CliError) {
      console.error(`error: ${error.message}`);
      process.exit(error.exitCode);
    }
    console.error(error);
    process.exit(1);
  });
