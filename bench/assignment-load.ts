/**
 * What the benches that drive `calicritters serve` over HTTP share: the benches' experiments defined through the admin
 * API, and autocannon's load on `POST /v1/assignment` with a user id of the caller's choosing per request.
 */
import autocannon from 'autocannon';
import { BENCH_EXPERIMENTS } from './bench-helpers.js';

/** Creates {@link BENCH_EXPERIMENTS} on the server at `url` through its admin API. */
export async function defineOverHttp(url: string, adminToken: string): Promise<void> {
  for (const definition of BENCH_EXPERIMENTS) {
    const res = await fetch(`${url}/v1/admin/experiments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-token': adminToken },
      body: JSON.stringify(definition),
    });
    if (res.status !== 201) throw new Error(`creating ${definition.key}: ${res.status} ${await res.text()}`);
  }
}

/** What one load run did: requests completed, their mean rate and p99 latency, and the requests that failed. */
export interface AssignmentLoad {
  count: number;
  rate: number;
  p99: number;
  failed: number;
}

/**
 * `POST /v1/assignment` at `connections` for `seconds`, or until `amount` requests, each for the user `user()`
 * names (a new one per request for first-time users, one of a stored set for returning ones).
 */
export async function loadAssignments(
  url: string,
  connections: number,
  user: () => string,
  options: { seconds?: number; amount?: number },
): Promise<AssignmentLoad> {
  const result = await autocannon({
    url,
    connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds }),
    requests: [
      {
        method: 'POST',
        path: '/v1/assignment',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ user_id: user() }) }),
      },
    ],
  });
  return {
    count: result.requests.total,
    rate: result.requests.average,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}
