/**
 * Which host names reach only this machine. One answer for both uses: `serve` embeds a generated dashboard token only
 * on a loopback bind, and `loadtest run` drives only a loopback target.
 */
import { isIPv4, isIPv6 } from 'node:net';

/**
 * True for `localhost`, any IPv4 address in 127.0.0.0/8, and `::1` (bracketed or not, in any spelling, also as the
 * IPv4-mapped `::ffff:127.x.y.z`). The wildcard binds `0.0.0.0` and `::` listen on every interface: not loopback.
 * @example isLoopbackHost('[::1]') // true; isLoopbackHost('0.0.0.0') // false
 */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (!isIPv6(h)) return false;
  // The URL parser writes any IPv6 spelling in its one canonical form (`::1`, `::ffff:7f00:1`).
  const canonical = new URL(`http://[${h}]/`).hostname;
  return canonical === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical);
}
