import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createDashboardApi } from './api-client.js';
import { DashboardApiError, describeApiError } from './api-error.js';

type Call = { url: string; headers: Record<string, string> };

function fakeFetch(respond: (url: string) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), headers: { ...(init?.headers as Record<string, string>) } });
    return respond(String(input));
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function rejection(promise: Promise<unknown>): Promise<DashboardApiError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, DashboardApiError);
    return error as DashboardApiError;
  }
  throw new Error('expected a rejection');
}

const it = suite('dashboard API client');

it('sends the token as x-dashboard-token to the endpoint with snake_case query parameters', async () => {
  const { fetch, calls } = fakeFetch(() => json(200, { ok: true }));
  const api = createDashboardApi({ baseUrl: 'https://ab.example.com/ab/', token: 'secret-token', fetch });
  await api.experiment('paywall copy', 14);
  await api.loadTestCompare('a', 'b');
  await api.rollupStatus();
  assert.is(
    calls[0]!.url,
    'https://ab.example.com/ab/v1/metrics/experiments?window_days=14&experiment_key=paywall+copy',
  );
  assert.is(calls[0]!.headers['x-dashboard-token'], 'secret-token');
  assert.is(
    calls[1]!.url,
    'https://ab.example.com/ab/v1/metrics/load-tests/compare?baseline_run_id=a&candidate_run_id=b',
  );
  assert.is(calls[2]!.url, 'https://ab.example.com/ab/v1/metrics/rollups/status');
  assert.is(calls[2]!.headers['x-dashboard-token'], 'secret-token');
});

it('asks for the cumulative series only when told to', async () => {
  const { fetch, calls } = fakeFetch(() => json(200, {}));
  const api = createDashboardApi({ fetch });
  await api.experiment('paywall_copy', 7, undefined, { series: 'cumulative' });
  await api.experiment('paywall_copy', 7, undefined, {});
  assert.equal(
    calls.map((c) => c.url),
    [
      '/v1/metrics/experiments?window_days=7&experiment_key=paywall_copy&series=cumulative',
      '/v1/metrics/experiments?window_days=7&experiment_key=paywall_copy',
    ],
  );
});

it('asks the token provider before every request, over the fixed token', async () => {
  const { fetch, calls } = fakeFetch(() => json(200, {}));
  let n = 0;
  const api = createDashboardApi({ token: 'fixed-token', tokenProvider: async () => `token-${++n}`, fetch });
  await api.daily(7);
  await api.loadTestLatest();
  assert.equal(
    calls.map((c) => [c.url, c.headers['x-dashboard-token']]),
    [
      ['/v1/metrics/daily?window_days=7', 'token-1'],
      ['/v1/metrics/load-tests/latest', 'token-2'],
    ],
  );
});

it('a 401 is "unauthorized" with the server code, and reads as a wrong token', async () => {
  const { fetch } = fakeFetch(() =>
    json(401, { error: { code: 'unauthorized', message: 'Invalid x-dashboard-token' } }),
  );
  const error = await rejection(createDashboardApi({ token: 'nope-nope', fetch }).daily(7));
  assert.equal(
    [error.kind, error.status, error.code, error.message],
    ['unauthorized', 401, 'unauthorized', 'Invalid x-dashboard-token'],
  );
  assert.match(describeApiError(error).title, /token is wrong/);
});

it('404, other statuses, no answer at all and a non-JSON body each get their kind', async () => {
  const notFound = await rejection(
    createDashboardApi({
      fetch: fakeFetch(() => json(404, { error: { code: 'not_found', message: "funnel 'x' does not exist" } })).fetch,
    }).funnel('x', 7),
  );
  assert.equal([notFound.kind, notFound.message], ['not_found', "funnel 'x' does not exist"]);
  const unavailable = await rejection(
    createDashboardApi({ fetch: fakeFetch(() => new Response('oops', { status: 503 })).fetch }).daily(7),
  );
  assert.equal([unavailable.kind, unavailable.status], ['http', 503]);
  const network = await rejection(
    createDashboardApi({ fetch: fakeFetch(() => Promise.reject(new TypeError('Failed to fetch'))).fetch }).daily(7),
  );
  assert.is(network.kind, 'network');
  assert.match(describeApiError(network).title, /Network error/);
  const html = await rejection(
    createDashboardApi({ fetch: fakeFetch(() => new Response('<html>', { status: 200 })).fetch }).daily(7),
  );
  assert.is(html.kind, 'invalid_response');
});

it('a malformed base URL fails at construction, naming the option', () => {
  assert.throws(() => createDashboardApi({ baseUrl: 'ftp://example.com' }), /baseUrl/);
});

it.run();
