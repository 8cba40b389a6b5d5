import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAdminApi } from './admin-api-client.js';
import { AdminApiError, describeAdminError } from './admin-api-error.js';

type Call = { url: string; method: string; headers: Record<string, string>; body: unknown };

function fakeFetch(respond: (url: string, method: string) => Response) {
  const calls: Call[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    calls.push({
      url: String(input),
      method,
      headers: { ...(init?.headers as Record<string, string>) },
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    return respond(String(input), method);
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function rejection(promise: Promise<unknown>): Promise<AdminApiError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, AdminApiError);
    return error as AdminApiError;
  }
  throw new Error('expected a rejection');
}

const it = suite('admin API client');

it('sends x-admin-token (never the dashboard header) with the method, path and JSON body of each call', async () => {
  const { fetch, calls } = fakeFetch((url) =>
    json(200, url.includes('?') || url.endsWith('experiments') ? { experiments: [] } : {}),
  );
  const admin = createAdminApi({ baseUrl: 'https://ab.example.com/ab/', token: 'admin-secret', fetch });
  await admin.list();
  await admin.list({ includeArchived: true });
  await admin.create({ key: 'a', variants: [{ key: 'c', weight: 1 }] } as never);
  await admin.start('paywall copy');
  await admin.stop('x');
  await admin.archive('x');
  assert.equal(
    calls.map((c) => [c.method, c.url.replace('https://ab.example.com/ab', ''), c.body]),
    [
      ['GET', '/v1/admin/experiments', undefined],
      ['GET', '/v1/admin/experiments?include_archived=true', undefined],
      ['POST', '/v1/admin/experiments', { key: 'a', variants: [{ key: 'c', weight: 1 }] }],
      ['PATCH', '/v1/admin/experiments/paywall%20copy', { status: 'running' }],
      ['PATCH', '/v1/admin/experiments/x', { status: 'stopped' }],
      ['DELETE', '/v1/admin/experiments/x', undefined],
    ],
  );
  assert.ok(calls.every((c) => c.headers['x-admin-token'] === 'admin-secret' && !('x-dashboard-token' in c.headers)));
  assert.is(calls[2]!.headers['content-type'], 'application/json');
});

it('a 400 carries every field the server named; 401, 409 and 404 each get their kind and words', async () => {
  const details = [
    { field: '/variants/1/weight', message: 'must be <= 1' },
    { field: '/colour', message: "unknown field 'colour'" },
    { nonsense: true },
  ];
  const invalid = await rejection(
    createAdminApi({
      fetch: fakeFetch(() => json(400, { error: { code: 'invalid_definition', message: 'invalid', details } })).fetch,
    }).create({} as never),
  );
  assert.equal([invalid.kind, invalid.code, invalid.details], ['invalid', 'invalid_definition', details.slice(0, 2)]);
  const refused = await rejection(
    createAdminApi({
      fetch: fakeFetch(() => json(401, { error: { code: 'unauthorized', message: 'no' } })).fetch,
    }).list(),
  );
  assert.is(refused.kind, 'unauthorized');
  assert.is(describeAdminError(refused).title, 'Admin token refused');
  const exists = await rejection(
    createAdminApi({
      fetch: fakeFetch(() => json(409, { error: { code: 'conflict', message: "experiment 'a' already exists" } }))
        .fetch,
    }).create({} as never),
  );
  assert.equal([exists.kind, describeAdminError(exists).title], ['conflict', 'Key exists']);
  const missing = await rejection(createAdminApi({ fetch: fakeFetch(() => json(404, {})).fetch }).get('gone'));
  assert.equal([missing.kind, missing.message], ['not_found', 'GET /v1/admin/experiments/gone answered 404']);
});

it('asks the token provider before every request, and fails at construction on a malformed base URL', async () => {
  const { fetch, calls } = fakeFetch(() => json(200, { experiments: [] }));
  let n = 0;
  const admin = createAdminApi({ tokenProvider: () => `admin-${++n}`, fetch });
  await admin.list();
  await admin.list();
  assert.equal(
    calls.map((c) => c.headers['x-admin-token']),
    ['admin-1', 'admin-2'],
  );
  assert.throws(() => createAdminApi({ baseUrl: 'ftp://example.com' }), /baseUrl/);
});

it('release PATCHes the status with the variant; overrides and holdouts read their lists', async () => {
  const { fetch, calls } = fakeFetch((url) =>
    json(200, url.endsWith('/overrides') ? { overrides: [] } : url.endsWith('holdouts') ? { holdouts: [] } : {}),
  );
  const admin = createAdminApi({ token: 't', fetch });
  await admin.release('paywall copy', 'treatment');
  assert.equal(await admin.overrides('paywall copy'), []);
  assert.equal(await admin.holdouts(), []);
  assert.equal(
    calls.map((c) => [c.method, c.url, c.body]),
    [
      ['PATCH', '/v1/admin/experiments/paywall%20copy', { status: 'released', released_variant: 'treatment' }],
      ['GET', '/v1/admin/experiments/paywall%20copy/overrides', undefined],
      ['GET', '/v1/admin/holdouts', undefined],
    ],
  );
});

it.run();
