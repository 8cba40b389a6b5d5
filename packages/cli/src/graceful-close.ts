/**
 * Closing an HTTP server without waiting on its keep-alive clients: stop accepting, let in-flight requests finish
 * with `Connection: close`, drop sockets as soon as they are idle, and cut whatever is left at a deadline.
 */
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface GracefulCloseResult {
  /** Connections still open at the deadline, closed by force. */
  forced: number;
}

/**
 * Tracks the server's connections from now on and returns its close function. Attach before `listen`.
 * @example const close = enableGracefulClose(server); … await close(10_000);
 */
export function enableGracefulClose(server: Server): (timeoutMs: number) => Promise<GracefulCloseResult> {
  let draining = false;
  const sockets = new Set<Socket>();
  const responses = new Set<ServerResponse>();

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A response sent while draining leaves its socket idle if its headers promised keep-alive: close it once it is.
  const closeWhenIdle = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
    res.once('finish', () => setImmediate(() => server.closeIdleConnections()));
  };
  // Runs before the app's own handler, so a request that arrives while draining is answered with close.
  server.prependListener('request', (_req, res: ServerResponse) => {
    responses.add(res);
    res.once('close', () => responses.delete(res));
    if (draining) closeWhenIdle(res);
  });

  let closing: Promise<GracefulCloseResult> | undefined;
  return (timeoutMs) => {
    closing ??= new Promise((resolve) => {
      draining = true;
      for (const res of responses) closeWhenIdle(res);
      let forced = 0;
      const deadline = setTimeout(() => {
        forced = sockets.size;
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }, timeoutMs);
      server.close(() => {
        clearTimeout(deadline);
        resolve({ forced });
      });
      server.closeIdleConnections();
      // Node counts a connection that never sent a byte (a browser's or balancer's preconnect) as busy, and
      // server.close() stops the timer that would have dropped it: it would hold shutdown until the deadline.
      for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
    });
    return closing;
  };
}
