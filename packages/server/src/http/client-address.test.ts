import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Context } from 'koa';
import { addressKey, clientAddress } from './client-address.js';

const request = (peer: string, forwardedFor?: string) =>
  ({
    req: { socket: { remoteAddress: peer } },
    get: (name: string) => (name.toLowerCase() === 'x-forwarded-for' ? (forwardedFor ?? '') : ''),
  }) as unknown as Context;

test('IPv4 as is, IPv4-mapped IPv6 as IPv4, other IPv6 grouped by /64', () => {
  assert.is(addressKey('203.0.113.7'), '203.0.113.7');
  assert.is(addressKey('::ffff:203.0.113.7'), '203.0.113.7');
  assert.is(addressKey('2001:db8:0001:0002:aaaa::1'), '2001:db8:1:2::/64');
  assert.is(addressKey('2001:DB8:1:2::ffff'), '2001:db8:1:2::/64');
  assert.is(addressKey('::1'), '0:0:0:0::/64');
  assert.is(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
  assert.is(addressKey('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
});

test('ports and brackets that proxies add are dropped; anything else is not an address', () => {
  assert.is(addressKey('203.0.113.7:51234'), '203.0.113.7');
  assert.is(addressKey('[2001:db8::1]:443'), '2001:db8:0:0::/64');
  for (const junk of ['', 'unknown', '999.1.1.1', 'example.com', '1.2.3.4, 5.6.7.8'])
    assert.is(addressKey(junk), undefined, junk);
});

test('without trusted proxies the socket address counts and X-Forwarded-For is ignored', () => {
  assert.is(clientAddress(request('::ffff:127.0.0.1', '198.51.100.1'), 0), '127.0.0.1');
});

test('with n trusted proxies the n-th entry from the right is the client', () => {
  const forwarded = 'forged, 198.51.100.1, 10.0.0.2';
  assert.is(clientAddress(request('10.0.0.3', forwarded), 1), '10.0.0.2');
  assert.is(clientAddress(request('10.0.0.3', forwarded), 2), '198.51.100.1');
  assert.is(
    clientAddress(request('10.0.0.3', '198.51.100.1'), 3),
    '198.51.100.1',
    'fewer entries than proxies: the left-most',
  );
  assert.is(clientAddress(request('10.0.0.3'), 1), '10.0.0.3', 'no header: the socket address');
  assert.is(
    clientAddress(request('10.0.0.3', '198.51.100.1, garbage'), 1),
    '10.0.0.3',
    'an unreadable entry: the proxy',
  );
});

test.run();
