import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backoffDelay, parseRetryAfter } from './backoff.js';

test('backoff ceiling doubles per attempt from the base and is capped', () => {
  const ceilings = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffDelay(attempt, 1000, 30_000, () => 0.999999));
  assert.equal(ceilings, [999, 1999, 3999, 7999, 15999, 29999, 29999, 29999]);
});

test('full jitter draws uniformly below the ceiling, down to zero', () => {
  assert.is(
    backoffDelay(3, 1000, 60_000, () => 0),
    0,
  );
  assert.is(
    backoffDelay(3, 1000, 60_000, () => 0.5),
    2000,
  );
  assert.is(
    backoffDelay(3, 1000, 60_000, () => 0.25),
    1000,
  );
});

test('Retry-After in delta seconds', () => {
  assert.is(parseRetryAfter('120', 0), 120_000);
  assert.is(parseRetryAfter(' 0 ', 0), 0);
});

test('Retry-After as an HTTP date, relative to the injected now; a past date means now', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');
  assert.is(parseRetryAfter('Sat, 01 Mar 2025 12:00:30 GMT', now), 30_000);
  assert.is(parseRetryAfter('Sat, 01 Mar 2025 11:00:00 GMT', now), 0);
});

test('Retry-After in the obsolete HTTP date forms (RFC 850, asctime) means GMT, whatever the local time zone', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');
  const zone = process.env.TZ;
  try {
    for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
      process.env.TZ = tz;
      assert.is(parseRetryAfter('Saturday, 01-Mar-25 12:00:30 GMT', now), 30_000, `RFC 850 in ${tz}`);
      assert.is(parseRetryAfter('Sat Mar  1 12:00:30 2025', now), 30_000, `asctime in ${tz}`);
    }
  } finally {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  }
});

test('missing or unreadable Retry-After is undefined', () => {
  assert.is(parseRetryAfter(null, 0), undefined);
  assert.is(parseRetryAfter(undefined, 0), undefined);
  assert.is(parseRetryAfter('soon', 0), undefined);
  assert.is(parseRetryAfter('-5', 0), undefined);
});

test.run();
