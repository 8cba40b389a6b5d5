import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from './cli-error.js';
import { readRateLimit, readServerConfig } from './config.js';

test('rate limits are on by default for serve, with the library defaults and no trusted proxy', () => {
  assert.equal(readServerConfig({}).rateLimit, { trustProxy: false });
  assert.is(readRateLimit({ RATE_LIMIT: 'off' }), false);
  assert.is(readRateLimit({ RATE_LIMIT: 'OFF', RATE_LIMIT_EVENTS_PER_IP: 'junk' }), false, 'off ignores the budgets');
});

test('RATE_LIMIT_* budgets, REDIS_URL and TRUST_PROXY become router options', () => {
  assert.equal(
    readRateLimit({
      RATE_LIMIT: 'on',
      RATE_LIMIT_WINDOW_SECONDS: '30',
      RATE_LIMIT_ASSIGNMENTS_PER_IP: '600',
      RATE_LIMIT_EVENT_REQUESTS_PER_IP: '3000',
      RATE_LIMIT_EVENTS_PER_IP: '30000',
      RATE_LIMIT_EVENT_BYTES_PER_IP: '16777216',
      RATE_LIMIT_ASSIGNMENTS_PER_USER: '30',
      RATE_LIMIT_EVENTS_PER_USER: '1500',
      REDIS_URL: 'redis://cache.internal:6379/2',
      TRUST_PROXY: '2',
    }),
    {
      trustProxy: 2,
      windowSeconds: 30,
      assignmentsPerIp: 600,
      eventRequestsPerIp: 3000,
      eventsPerIp: 30000,
      eventBytesPerIp: 16777216,
      assignmentsPerUser: 30,
      eventsPerUser: 1500,
      redis: 'redis://cache.internal:6379/2',
    },
  );
  assert.equal(readRateLimit({ TRUST_PROXY: 'true' }), { trustProxy: true });
});

test('bad values fail with exit code 2 and name the variable', () => {
  const cases: Record<string, string>[] = [
    { RATE_LIMIT: 'maybe' },
    { RATE_LIMIT_EVENTS_PER_IP: '500' },
    { RATE_LIMIT_EVENTS_PER_USER: '-5' },
    { RATE_LIMIT_ASSIGNMENTS_PER_IP: '0' },
    { RATE_LIMIT_WINDOW_SECONDS: '1.5' },
    { RATE_LIMIT_EVENT_BYTES_PER_IP: '1000' },
    { REDIS_URL: 'localhost:6379' },
    { TRUST_PROXY: 'yes' },
    { TRUST_PROXY: '99' },
  ];
  for (const env of cases) {
    try {
      readRateLimit(env);
      assert.unreachable(JSON.stringify(env));
    } catch (error) {
      assert.instance(error, CliError, JSON.stringify(env));
      assert.is((error as CliError).exitCode, 2);
      assert.match((error as Error).message, new RegExp(`^${Object.keys(env)[0]} `), (error as Error).message);
    }
  }
});

test.run();
