/**
 * The client address a request is rate limited by. Without trusted proxies it is the socket's peer, whatever the
 * headers say; with `trustedHops` proxies in front of us it is the address the outermost of them saw, read from the
 * right of X-Forwarded-For, so entries a client wrote itself (to the left) never count. Koa's `app.proxy` is the host
 * app's setting and reads the left-most entry, which a client can forge; we do not rely on it.
 */
import { isIP } from 'node:net';
import type { Context } from 'koa';

/**
 * The key for per-address budgets: an IPv4 address, or an IPv6 /64 (the block one subscriber usually gets, so that a
 * client cannot step through its own addresses to escape the limit).
 * @example clientAddress(ctx, 1) // '203.0.113.7' from 'X-Forwarded-For: 10.9.9.9, 203.0.113.7'
 */
export function clientAddress(ctx: Context, trustedHops: number): string {
  const peer = addressKey(ctx.req.socket.remoteAddress ?? '') ?? 'unknown';
  if (trustedHops <= 0) return peer;
  const header = ctx.get('X-Forwarded-For');
  if (!header) return peer;
  const entries = header.split(',').map((entry) => entry.trim());
  // Each trusted proxy appended the address it saw: the entry `trustedHops` from the right is the client.
  const entry = entries[Math.max(0, entries.length - trustedHops)] ?? '';
  // An unreadable entry cannot be attributed to anyone: it shares the proxy's budget rather than get its own.
  return addressKey(entry) ?? peer;
}

/** The limit key of one address, or undefined when it is not an IP address. */
export function addressKey(raw: string): string | undefined {
  const address = stripPort(raw).replace(/%.*$/, '');
  const version = isIP(address);
  if (version === 4) return address;
  if (version !== 6) return undefined;
  const lower = address.toLowerCase();
  const mapped = lower.startsWith('::ffff:') ? lower.slice(7) : '';
  if (isIP(mapped) === 4) return mapped;
  return `${ipv6Groups(lower).slice(0, 4).join(':')}::/64`;
}

/** `1.2.3.4:5678` and `[::1]:80` (some proxies add the port) to the bare address. */
function stripPort(raw: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(raw);
  if (bracketed) return bracketed[1]!;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(raw);
  return v4 ? v4[1]! : raw;
}

/** The eight groups of a valid IPv6 address, `::` expanded, without leading zeros. */
function ipv6Groups(address: string): string[] {
  const split = (part: string) => (part ? part.split(':') : []);
  // An embedded IPv4 tail (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`) stands for two groups.
  const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const [head = '', tail] = address.split('::');
  const left = split(head);
  const right = tail === undefined ? [] : split(tail);
  const zeros = tail === undefined ? 0 : 8 - width(left) - width(right);
  return [...left, ...Array<string>(zeros).fill('0'), ...right].map((g) =>
    g.includes('.') ? g : parseInt(g, 16).toString(16),
  );
}
