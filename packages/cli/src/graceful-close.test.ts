import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { enableGracefulClose } from './graceful-close.js';

test('a response whose keep-alive headers went out before shutdown has its socket closed once it is sent', async () => {
  let streaming: ServerResponse | undefined;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '4' });
    res.write('ab');
    streaming = res;
  });
  server.keepAliveTimeout = 65_000;
  const close = enableGracefulClose(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const socketClosed = new Promise((resolve) => socket.once('close', resolve));
  socket.write('GET / HTTP/1.1\r\nHost: test\r\n\r\n');
  while (!received.endsWith('ab')) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.match(received, /keep-alive/i);

  const started = Date.now();
  const closing = close(10_000);
  streaming?.end('cd');
  assert.equal(await closing, { forced: 0 });
  await socketClosed;
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  assert.ok(received.endsWith('abcd'), 'the answer was complete');
});

test.run();
