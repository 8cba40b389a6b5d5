/**
 * No admin change escapes the audit log: the router's own layer list says which routes exist, and every POST, PUT,
 * PATCH and DELETE under `/v1/admin/` (at the root and under a mount prefix, with every opt-in router mounted) must
 * carry the audit middleware right after its token guard, and name an entity kind and an action.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type Router from '@koa/router';
import { createAbRouter } from '../src/index.js';
import { isAuditMiddleware } from '../src/http/audit-middleware.js';
import { isTokenGuard } from '../src/http/token-auth.js';
import { auditAction, auditRoute } from '../src/services/audit-targets.js';
import { createTestStorage, type TestDatabase } from '../src/testing.js';
import { ADMIN_TOKEN } from './helpers/test-server.js';

interface RouteLayer {
  methods: string[];
  path: string;
  stack: unknown[];
}

const MUTATING = ['POST', 'PUT', 'PATCH', 'DELETE'];

function adminChanges(router: Router, prefix: string) {
  return (router.stack as unknown as RouteLayer[])
    .filter((l) => typeof l.path === 'string' && l.path.startsWith(`${prefix}/v1/admin/`))
    .flatMap((layer) =>
      layer.methods.filter((m) => MUTATING.includes(m)).map((method) => ({ method, path: layer.path, layer })),
    );
}

const it = suite<{ db: TestDatabase }>('audit coverage of the admin routes');
it.before(async (ctx) => {
  ctx.db = await createTestStorage();
});
it.after(async (ctx) => ctx.db.close());

it('every mutating admin route carries the audit middleware after its guard', async ({ db }) => {
  for (const prefix of ['', '/ab']) {
    const router = createAbRouter({
      storage: db.storage,
      adminToken: ADMIN_TOKEN,
      prefix: prefix || undefined,
      loadTests: true,
      openApi: true,
    });
    const routes = adminChanges(router, prefix);
    // The experiment and funnel routes and the rollup trigger at least: the walk itself must find something.
    assert.ok(routes.length >= 7, `only ${routes.length} mutating admin routes found`);
    for (const { method, path, layer } of routes) {
      const audit = layer.stack.findIndex(isAuditMiddleware);
      assert.ok(audit >= 0, `${method} ${path} is not audited`);
      assert.is(layer.stack.filter(isAuditMiddleware).length, 1, `${method} ${path} is audited once`);
      const guard = layer.stack.findIndex(isTokenGuard);
      assert.ok(guard >= 0 && guard < audit, `${method} ${path}: the audit runs after the token guard`);
      const route = auditRoute(path.slice(prefix.length));
      assert.ok(route, `${method} ${path} names an entity`);
      assert.match(auditAction(route, method), /^[a-z_-]+$/);
    }
  }
});

it('reads entity kinds, keys and actions from route patterns, new ones included', () => {
  const cases: Array<[string, string, Record<string, unknown>, string]> = [
    ['POST', '/v1/admin/experiments', { kind: 'experiment', onItem: false }, 'create'],
    ['PATCH', '/v1/admin/experiments/:key', { kind: 'experiment', keyParam: 'key', onItem: true }, 'update'],
    ['DELETE', '/v1/admin/experiments/:key', { kind: 'experiment', keyParam: 'key', onItem: true }, 'archive'],
    ['DELETE', '/v1/admin/funnels/:name', { kind: 'funnel', keyParam: 'name', onItem: true }, 'archive'],
    ['POST', '/v1/admin/rollups', { kind: 'rollup', onItem: false }, 'run'],
    ['POST', '/v1/admin/experiments/:key/overrides', { kind: 'override', keyParam: 'key', onItem: false }, 'create'],
    [
      'DELETE',
      '/v1/admin/experiments/:key/overrides/:user_id',
      { kind: 'override', keyParam: 'key', onItem: true },
      'delete',
    ],
    ['PUT', '/v1/admin/holdouts/:key', { kind: 'holdout', keyParam: 'key', onItem: true }, 'update'],
    ['POST', '/v1/admin/holdouts', { kind: 'holdout', onItem: false }, 'create'],
    [
      'POST',
      '/v1/admin/experiments/:key/release',
      { kind: 'experiment', keyParam: 'key', onItem: true, verb: 'release' },
      'release',
    ],
    ['POST', '/v1/admin/saved-groups', { kind: 'saved_group', onItem: false }, 'create'],
  ];
  for (const [method, pattern, expected, action] of cases) {
    const route = auditRoute(pattern);
    assert.equal(route, { keyParam: undefined, verb: undefined, ...expected }, pattern);
    assert.is(auditAction(route!, method), action, `${method} ${pattern}`);
  }
  const override = auditRoute('/v1/admin/experiments/:key/overrides/:user_id')!;
  assert.is(auditAction(override, 'PUT', 201), 'create', 'a PUT answering 201 created its item');
  assert.is(auditAction(override, 'PUT', 200), 'update');
  assert.is(auditAction(auditRoute('/v1/admin/holdouts/:key')!, 'DELETE'), 'archive');
  assert.is(auditRoute('/v1/metrics/experiments'), undefined);
  assert.is(auditRoute('/v1/admin'), undefined);
});

it.run();
