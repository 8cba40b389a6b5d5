import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CliError } from '../cli-error.js';
import { defaultTarget, lastValue, parseDuration, parseTags, parseTarget } from './run-options.js';

function usageError(run: () => unknown, pattern: RegExp): void {
  try {
    run();
    assert.unreachable('expected a usage error');
  } catch (error) {
    assert.instance(error, CliError);
    assert.is((error as CliError).exitCode, 2);
    assert.match((error as Error).message, pattern);
  }
}

test('parseDuration reads ms, s, m and bare seconds within 1 s to 5 min', () => {
  assert.is(parseDuration('30s'), 30_000);
  assert.is(parseDuration('2m'), 120_000);
  assert.is(parseDuration('1500ms'), 1_500);
  assert.is(parseDuration(3), 3_000);
  assert.is(parseDuration('2.5s'), 2_500);
  for (const bad of ['0s', '999ms', '6m', '301s', 'soon', '-1s', '1h'])
    usageError(() => parseDuration(bad), /--duration/);
});

test('parseTarget accepts only loopback http(s) URLs', () => {
  for (const ok of [
    'http://localhost:3000',
    'http://127.0.0.1:8080/ab',
    'https://127.3.4.5',
    'http://[::1]:3000',
    'http://LOCALHOST',
  ]) {
    assert.ok(parseTarget(ok) instanceof URL, ok);
  }
  for (const bad of [
    'http://10.1.2.3',
    'http://172.16.0.1',
    'http://192.168.0.10:3000',
    'http://example.org',
    'http://[::2]',
    'http://localhost.example.com',
    'http://127.0.0.1.nip.io',
  ]) {
    usageError(() => parseTarget(bad), /loopback/);
  }
  usageError(() => parseTarget('ftp://localhost'), /http/);
  usageError(() => parseTarget('localhost:3000'), /http|URL/);
  usageError(() => parseTarget('http://user:pw@localhost'), /credentials/);
});

test('parseTags reads key=value pairs and refuses malformed or repeated keys', () => {
  assert.equal(parseTags(['branch=main', 'sha=abc=def', 'empty=']), { branch: 'main', sha: 'abc=def', empty: '' });
  usageError(() => parseTags(['novalue']), /--tag/);
  usageError(() => parseTags(['=x']), /--tag/);
  usageError(() => parseTags(['a=1', 'a=2']), /twice/);
});

test('a repeated single-valued option takes its last value; the target defaults to CALICRITTERS_URL', () => {
  assert.is(lastValue(['http://localhost:3000', 'http://localhost:4000']), 'http://localhost:4000');
  assert.is(lastValue('30s'), '30s');
  assert.is(defaultTarget({ CALICRITTERS_URL: 'http://127.0.0.1:4000' }), 'http://127.0.0.1:4000');
  assert.is(defaultTarget({}), 'http://localhost:3000');
});

test.run();
