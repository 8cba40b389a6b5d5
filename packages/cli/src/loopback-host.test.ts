import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLoopbackHost } from './loopback-host.js';

test('localhost, 127.0.0.0/8 and ::1 in its spellings are loopback', () => {
  for (const host of [
    'localhost',
    'LOCALHOST',
    '127.0.0.1',
    '127.1.2.3',
    '127.255.255.254',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
    '[::ffff:127.0.0.2]',
  ]) {
    assert.ok(isLoopbackHost(host), host);
  }
});

test('wildcard binds, other addresses and names are not', () => {
  for (const host of [
    '0.0.0.0',
    '::',
    '[::]',
    '192.168.1.5',
    '10.0.0.1',
    '128.0.0.1',
    '127.999.0.1',
    '::2',
    '::ffff:10.0.0.1',
    'example.com',
    'localhost.example.com',
    '',
  ]) {
    assert.not.ok(isLoopbackHost(host), host);
  }
});

test.run();
