import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createStoredRuleLookups } from '../src/services/stored-rule-lookups.js';
import { admin, createExperiment, startTestServer, type TestServer } from './helpers/test-server.js';

const it = suite<{ server: TestServer; clock: { now: number } }>('QA overrides');
const json = { 'content-type': 'application/json', ...admin };
const variants = [
  { key: 'control', weight: 0.5 },
  { key: 'urgency', weight: 0.5 },
];
const base = '/v1/admin/experiments/paywall/overrides';
const HOUR = 3600_000;

it.before(async (ctx) => {
  ctx.clock = { now: Date.parse('2026-06-01T12:00:00Z') };
  // An hour-long cache: only invalidation can make a change visible within the test.
  ctx.server = await startTestServer({ now: () => new Date(ctx.clock.now), experimentCacheTtlMs: HOUR });
  await createExperiment(ctx.server, { key: 'paywall', variants });
  await createExperiment(ctx.server, { key: 'onboarding', variants });
});
it.after(async (ctx) => ctx.server.close());

const put = (server: TestServer, path: string, body: unknown) => server.send('PUT', path, JSON.stringify(body), json);
const del = (server: TestServer, path: string) => server.send('DELETE', path, undefined, admin);
const assignment = async (server: TestServer, userId: string) =>
  (await server.post('/v1/assignment', { user_id: userId, experiment_keys: ['paywall'] })).body.assignments[0];

it('PUT sets an override (201), again replaces it (200); GET lists it', async ({ server, clock }) => {
  const expires = new Date(clock.now + 2 * HOUR).toISOString();
  const first = await put(server, `${base}/qa-phone-1`, { variant: 'urgency', note: 'Pixel 7', expires_at: expires });
  assert.is(first.status, 201, JSON.stringify(first.body));
  assert.equal(
    { ...first.body, created_at: undefined, updated_at: undefined },
    {
      experiment_key: 'paywall',
      user_id: 'qa-phone-1',
      variant: 'urgency',
      expires_at: expires,
      note: 'Pixel 7',
      expired: false,
      created_at: undefined,
      updated_at: undefined,
    },
  );
  const second = await put(server, `${base}/qa-phone-1`, { variant: 'control' });
  assert.is(second.status, 200);
  assert.is(second.body.variant, 'control');
  assert.is(second.body.expires_at, null, 'a replacement says everything again: no expiry given, none kept');
  assert.is(second.body.note, null);
  const list = await server.get(base, admin);
  assert.is(list.status, 200);
  assert.equal(
    list.body.overrides.map((o: { user_id: string; variant: string }) => [o.user_id, o.variant]),
    [['qa-phone-1', 'control']],
  );
});

it('a forced user gets the variant at once (the cache is dropped), with no sticky row', async ({ server }) => {
  await put(server, `${base}/qa-phone-2`, { variant: 'urgency' });
  const forced = await assignment(server, 'qa-phone-2');
  assert.is(forced.variant, 'urgency');
  assert.is(forced.assigned_at, null);
  const rows = await server.sql(`select * from assignments where user_id = 'qa-phone-2'`);
  assert.is(rows.length, 0, 'forced users are never counted');
  await put(server, `${base}/qa-phone-2`, { variant: 'control' });
  assert.is((await assignment(server, 'qa-phone-2')).variant, 'control');
});

it('user ids with slashes, spaces and emoji travel percent-encoded', async ({ server }) => {
  const id = 'qa/phone 3 🐱';
  const res = await put(server, `${base}/${encodeURIComponent(id)}`, { variant: 'urgency' });
  assert.is(res.status, 201, JSON.stringify(res.body));
  assert.is(res.body.user_id, id);
  assert.is((await assignment(server, id)).variant, 'urgency');
  assert.is((await del(server, `${base}/${encodeURIComponent(id)}`)).status, 200);
});

it('bad inputs get 400 naming the field: unknown variant, past or malformed expiry, unknown fields', async ({
  server,
  clock,
}) => {
  const cases: Array<[unknown, string]> = [
    [{ variant: 'nope' }, '/variant'],
    [{ variant: 'urgency', expires_at: new Date(clock.now - 1000).toISOString() }, '/expires_at'],
    [{ variant: 'urgency', expires_at: new Date(clock.now).toISOString() }, '/expires_at'],
    [{ variant: 'urgency', expires_at: 'tomorrow' }, '/expires_at'],
    [{ variant: 'urgency', colour: 'red' }, '/colour'],
    [{}, '/variant'],
    [{ variant: 'urgency', note: 'x'.repeat(257) }, '/note'],
    [{ variant: 'urgency', note: 'half \ud83d' }, '/note'],
    [[], '/'],
  ];
  for (const [body, field] of cases) {
    const res = await put(server, `${base}/qa-bad`, body);
    assert.is(res.status, 400, `${JSON.stringify(body)} → ${res.status}`);
    assert.is(res.body.error.code, 'invalid_override', JSON.stringify(res.body));
    assert.ok(
      res.body.error.details.some((d: { field: string }) => d.field === field),
      `${JSON.stringify(body)} names ${field}: ${JSON.stringify(res.body.error.details)}`,
    );
  }
  const unknown = await put(server, '/v1/admin/experiments/ghost/overrides/u1', { variant: 'a' });
  assert.is(unknown.status, 404);
  const badKey = await put(server, '/v1/admin/experiments/bad%20key/overrides/u1', { variant: 'a' });
  assert.is(badKey.status, 400);
  assert.is(badKey.body.error.details[0].field, 'key');
  const longId = await put(server, `${base}/${'u'.repeat(257)}`, { variant: 'urgency' });
  assert.is(longId.status, 400);
  assert.is(longId.body.error.details[0].field, 'user_id');
  const nul = await put(server, `${base}/a%00b`, { variant: 'urgency' });
  assert.is(nul.status, 400);
  assert.is(nul.body.error.details[0].field, 'user_id');
  for (const segment of ['a%ED%A0%BD', '%FF', 'a%', '%G1']) {
    const undecodable = await put(server, `${base}/${segment}`, { variant: 'urgency' });
    assert.is(undecodable.status, 400, segment);
    assert.is(undecodable.body.error.details[0].field, 'user_id');
  }
  const notJson = await server.send('PUT', `${base}/u1`, 'variant=a', { ...admin, 'content-type': 'text/plain' });
  assert.is(notJson.status, 415);
  assert.equal((await server.sql(`select user_id from experiment_overrides where user_id = 'qa-bad'`)).length, 0);
});

it('an expired override stops applying at once, is left out of the list unless asked, and marked', async ({
  server,
  clock,
}) => {
  await put(server, `${base}/qa-expiring`, {
    variant: 'urgency',
    expires_at: new Date(clock.now + HOUR).toISOString(),
  });
  assert.is((await assignment(server, 'qa-expiring')).variant, 'urgency');
  clock.now += HOUR;
  const after = await assignment(server, 'qa-expiring');
  assert.ok(after.assigned_at !== null, 'no longer forced: bucketed, with a sticky row');
  const listed = await server.get(base, admin);
  assert.not.ok(listed.body.overrides.some((o: { user_id: string }) => o.user_id === 'qa-expiring'));
  const all = await server.get(`${base}?include_expired=true`, admin);
  const expired = all.body.overrides.find((o: { user_id: string }) => o.user_id === 'qa-expiring');
  assert.is(expired?.expired, true);
  assert.is((await server.get(`${base}?include_expired=maybe`, admin)).status, 400);
});

it('DELETE removes an override (200 with what was removed), then 404; unknown experiment 404', async ({ server }) => {
  await put(server, `${base}/qa-gone`, { variant: 'urgency' });
  const removed = await del(server, `${base}/qa-gone`);
  assert.is(removed.status, 200);
  assert.is(removed.body.variant, 'urgency');
  assert.is((await assignment(server, 'qa-gone')).assigned_at === null, false, 'bucketed again, with a row');
  assert.is((await del(server, `${base}/qa-gone`)).status, 404);
  assert.is((await del(server, '/v1/admin/experiments/ghost/overrides/qa-gone')).status, 404);
  assert.is((await server.get('/v1/admin/experiments/ghost/overrides', admin)).status, 404);
});

it('overrides are per experiment, and an archived experiment refuses new ones (409)', async ({ server }) => {
  await put(server, '/v1/admin/experiments/onboarding/overrides/qa-phone-1', { variant: 'urgency' });
  const paywall = (await server.get(base, admin)).body.overrides.find(
    (o: { user_id: string }) => o.user_id === 'qa-phone-1',
  );
  assert.is(paywall.variant, 'control');
  await del(server, '/v1/admin/experiments/onboarding');
  const refused = await put(server, '/v1/admin/experiments/onboarding/overrides/qa-phone-9', { variant: 'urgency' });
  assert.is(refused.status, 409);
});

it('stored lookups: all of a user’s unexpired overrides, cached until invalidated or the TTL passes', async ({
  server,
  clock,
}) => {
  let ms = 0;
  const lookups = createStoredRuleLookups(
    server.db.storage,
    1000,
    () => new Date(clock.now),
    () => ms,
  );
  assert.equal(await lookups.forcedVariations('qa-phone-1'), { paywall: 'control', onboarding: 'urgency' });
  assert.equal(await lookups.forcedVariations('nobody'), {});
  await server.db.storage.overrides.remove('paywall', 'qa-phone-1');
  assert.equal(await lookups.forcedVariations('qa-phone-1'), { paywall: 'control', onboarding: 'urgency' }, 'cached');
  ms = 1000;
  assert.equal(await lookups.forcedVariations('qa-phone-1'), { onboarding: 'urgency' }, 'reloaded after the TTL');
  await server.db.storage.overrides.set('paywall', 'qa-phone-1', { variant: 'urgency' });
  lookups.invalidate();
  assert.equal(await lookups.forcedVariations('qa-phone-1'), { paywall: 'urgency', onboarding: 'urgency' });
});

it.run();
